import { createHash } from 'node:crypto';
import type { JSONContent } from '@tiptap/core';
import QRCode from 'qrcode';
import type { DocumentPdfInput } from '#server/signing/pdf/document-pdf-input.ts';
import { agreementBlocks, canonicalText } from '#shared/agreement.ts';

/** Agreements, signatures and seals for the signing specs and the signing benchmark. */

/**
 * A signature image: a real PNG with ink on a transparent ground. A QR code of the signer's name
 * stands in for a drawn stroke; what matters to the PDF is that it is a PNG.
 */
export const signaturePng = async (name: string): Promise<Uint8Array> =>
	new Uint8Array(
		await QRCode.toBuffer(name, { type: 'png', margin: 1, color: { dark: '#141440ff', light: '#00000000' } })
	);

const SIGNATURES = {
	张三: await signaturePng('张三'),
	李四: await signaturePng('李四'),
	王五: await signaturePng('王五')
};

export const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

const CLAUSES = [
	'被申请人李四于2026年12月31日前以银行转账方式向申请人张三一次性支付赔偿款人民币12,000元（大写：壹万贰仟元整）。',
	'申请人张三收到上述款项后，不再就本次纠纷向被申请人主张任何权利；双方就排水沟的维护另行约定：每年5月由双方共同清理。',
	'本协议一式三份，各方当事人各执一份，调解委员会留存一份，具有同等法律效力（Version 2.1, see https://example.org/terms）。'
];

const text = (value: string): JSONContent => ({ type: 'text', text: value });
export const heading = (level: number, value: string): JSONContent => ({
	type: 'heading',
	attrs: { level },
	content: [text(value)]
});
export const paragraph = (value: string): JSONContent => ({ type: 'paragraph', content: [text(value)] });

/**
 * An ordinary agreement as the editor holds it, from the built-in template: the title, headings,
 * numbered clauses (the last with a second paragraph), the signature lines and the seal's line.
 * `extra` paragraphs (or blocks) follow the facts.
 */
export function agreementDocument(extra: (string | JSONContent)[] = []): JSONContent {
	return {
		type: 'doc',
		content: [
			heading(1, '人民调解协议书'),
			paragraph('编号：2026-QSZ-000123'),
			heading(2, '当事人'),
			paragraph('申请人：张三，男，1970年5月出生，住青山镇东村3组。'),
			paragraph('被申请人：李四，男，1968年2月出生，住青山镇东村3组。'),
			heading(2, '纠纷主要事实、争议事项'),
			paragraph(
				'2026年7月，因连日降雨，被申请人修建的围墙阻断排水沟，致申请人房屋进水，家具受损。双方就赔偿数额发生争议。'
			),
			...extra.map((block) => (typeof block === 'string' ? paragraph(block) : block)),
			heading(2, '经调解，自愿达成如下协议'),
			{
				type: 'orderedList',
				attrs: { start: 1 },
				content: CLAUSES.map((clause, index) => ({
					type: 'listItem',
					content: [
						paragraph(clause),
						...(index === CLAUSES.length - 1 ? [paragraph('（本条款的补充说明：款项支付以银行到账时间为准。）')] : [])
					]
				}))
			},
			heading(2, '履行方式、地点、期限'),
			paragraph('被申请人于2026年12月31日前以银行转账方式履行完毕。'),
			heading(2, '违约责任'),
			paragraph('被申请人逾期支付的，每逾期一日按未付金额的万分之五向申请人支付违约金。'),
			paragraph(
				'当事人应当按照本协议约定履行义务，青山镇人民调解委员会对本协议的履行情况进行监督，督促当事人履行。一方当事人不履行或者不完全履行本协议的，对方当事人可以请求青山镇人民调解委员会督促履行；当事人之间就本协议的履行或者内容发生争议的，一方当事人可以向人民法院提起诉讼。'
			),
			paragraph('各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。'),
			heading(2, '协议的生效'),
			paragraph(
				'本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖青山镇人民调解委员会印章之日起生效。本协议一式三份，各方当事人各执一份，青山镇人民调解委员会留存一份，具有同等效力。'
			),
			{ type: 'paragraph' },
			paragraph('申请人（签名）：'),
			paragraph('被申请人（签名）：'),
			paragraph('人民调解员（签名）：'),
			{ type: 'paragraph' },
			paragraph('青山镇人民调解委员会（印章）'),
			paragraph('2026年11月29日')
		]
	};
}

/** The frozen text of an ordinary agreement, as `canonicalText` gives it. */
export const agreementText = (extra: (string | JSONContent)[] = []): string => canonicalText(agreementDocument(extra));

/** The part of an agreement's input its document gives: its blocks and the SHA-256 of its text. */
export const documentInput = (doc: JSONContent) => ({
	blocks: agreementBlocks(doc),
	textSha256: sha256(canonicalText(doc))
});

/** The ordinary agreement with `extra` paragraphs (or blocks) after the facts. */
export const withParagraphs = (extra: (string | JSONContent)[]) => documentInput(agreementDocument(extra));

/** An agreement ready to print: two parties and a mediator signing. */
export function agreementInput(overrides: Partial<DocumentPdfInput> = {}): DocumentPdfInput {
	const text = agreementText();
	return {
		language: 'zh-CN',
		title: '人民调解协议书',
		caseNumber: '2026-QSZ-000123',
		committee: '青山镇人民调解委员会',
		...documentInput(agreementDocument()),
		signers: [
			{
				name: '张三',
				role: '申请人',
				signature: SIGNATURES.张三,
				signedAt: new Date('2026-11-29T02:10:00Z'),
				ip: '203.0.113.7',
				device: 'Chrome / Android'
			},
			{
				name: '李四',
				role: '被申请人',
				signature: SIGNATURES.李四,
				signedAt: new Date('2026-11-29T02:12:30Z'),
				ip: '198.51.100.23',
				device: '微信 / iOS'
			},
			{
				name: '王五',
				role: '人民调解员',
				signature: SIGNATURES.王五,
				signedAt: new Date('2026-11-29T02:15:00Z'),
				ip: '192.0.2.10',
				device: 'Firefox / Linux'
			}
		],
		verificationUrl: 'https://tiaojie.example.org/verify?sha256=' + sha256(text),
		...overrides
	};
}

export const SEAL_PASSPHRASE = 'correct horse battery staple';
