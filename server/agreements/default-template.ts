import type { JSONContent } from '@tiptap/core';

const text = (value: string): JSONContent => ({ type: 'text', text: value });
const paragraph = (value = ''): JSONContent =>
	value ? { type: 'paragraph', content: [text(value)] } : { type: 'paragraph' };
const heading = (level: 1 | 2, value: string): JSONContent => ({
	type: 'heading',
	attrs: { level },
	content: [text(value)]
});
const clauses = (...items: string[]): JSONContent => ({
	type: 'orderedList',
	attrs: { start: 1 },
	content: items.map((item) => ({ type: 'listItem', content: [paragraph(item)] }))
});

/**
 * The built-in 人民调解协议书, for organisations without a template of their own. Its parts are
 * those the People's Mediation Law (arts. 28–33) and the 2002 Rules (arts. 34–35) ask of a written
 * agreement: its number, the parties' details, the facts, the matters in dispute and each side's
 * responsibility, the terms agreed, how, where and by when they are performed, and what follows a
 * breach. Text in full-width brackets is guidance for the mediator to replace. The PDF signs and
 * seals on its own lines: each signer on the （签名） line of their role, the committee's seal
 * over the （印章） line and the date below it.
 */
export const DEFAULT_AGREEMENT_TEMPLATE: JSONContent = {
	type: 'doc',
	content: [
		heading(1, '人民调解协议书'),
		paragraph('编号：{{case.number}}'),
		heading(2, '当事人'),
		paragraph('{{applicants}}'),
		paragraph('{{respondents}}'),
		paragraph('（补充各方当事人的性别、民族、年龄或出生日期、职业或职务；单位写明名称、住所和负责人。）'),
		heading(2, '纠纷主要事实、争议事项及各方责任'),
		paragraph('{{facts}}'),
		paragraph('申请人的请求：{{claims}}'),
		paragraph('（写明经调查核实的事实和各方当事人应当承担的责任。）'),
		heading(2, '经调解，自愿达成如下协议'),
		clauses(
			'（协议条款：写明一方或各方同意承担的义务，如支付的款项及金额、交付的财物、停止或实施的行为。）',
			'（协议条款）',
			'本协议履行完毕后，各方当事人就本纠纷再无其他争议。'
		),
		heading(2, '履行方式、地点、期限'),
		paragraph(
			'（写明每项义务由谁、以何种方式、在何地、于何时之前履行完毕，如：被申请人于　　年　　月　　日前在　　以银行转账方式向申请人一次性支付人民币　　元（大写：　　元整）。）'
		),
		heading(2, '违约责任'),
		paragraph('（写明一方不履行或者不完全履行本协议时应当承担的责任，如支付违约金。）'),
		paragraph(
			'当事人应当按照本协议约定履行义务，{{committee.name}}对本协议的履行情况进行监督，督促当事人履行。一方当事人不履行或者不完全履行本协议的，对方当事人可以请求{{committee.name}}督促履行；当事人之间就本协议的履行或者内容发生争议的，一方当事人可以向人民法院提起诉讼。'
		),
		paragraph('各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。'),
		heading(2, '协议的生效'),
		paragraph(
			'本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖{{committee.name}}印章之日起生效。本协议一式{{copies}}份，各方当事人各执一份，{{committee.name}}留存一份，具有同等效力。'
		),
		paragraph(),
		paragraph('申请人（签名）：'),
		paragraph('被申请人（签名）：'),
		paragraph('人民调解员（签名）：'),
		paragraph(),
		paragraph('{{committee.name}}（印章）'),
		paragraph('{{date}}')
	]
};
