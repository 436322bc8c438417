import type { JSONContent } from '@tiptap/core';

const text = (value: string): JSONContent => ({ type: 'text', text: value });
const paragraph = (value = ''): JSONContent =>
	value ? { type: 'paragraph', content: [text(value)] } : { type: 'paragraph' };
const heading = (value: string): JSONContent => ({ type: 'heading', attrs: { level: 2 }, content: [text(value)] });

/**
 * The body of a session's 人民调解记录, in the order a county's case-file review reads it
 * (../shared/notes/mediation-documents.md): the rights notice given, each side's account, the
 * facts checked, the risks explained, then the result. The header (time, place, matter, who was
 * there and when) is filled from the session at sealing, and the result chosen by the mediator
 * is printed after the body. Text in full-width brackets is guidance for the writer to replace.
 */
export const RECORD_TEMPLATE: JSONContent = {
	type: 'doc',
	content: [
		heading('一、告知当事人权利义务'),
		paragraph('调解员已告知当事人在人民调解活动中享有的权利和承担的义务，当事人表示已经知悉。'),
		heading('二、申请人陈述'),
		paragraph('（申请人陈述的事实、理由和请求。）'),
		heading('三、被申请人陈述'),
		paragraph('（被申请人陈述的事实、理由和意见。）'),
		heading('四、调查核实情况'),
		paragraph('（调解员调查核实的事实、证据。）'),
		heading('五、风险提示'),
		paragraph('（向当事人说明的法律规定、诉讼风险和成本。）'),
		heading('六、调解情况'),
		paragraph('（达成的协议内容，或各方分歧所在。）')
	]
};
