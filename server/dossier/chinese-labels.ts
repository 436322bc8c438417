import messages from '../../src/lib/i18n/messages/zh-CN.json' with { type: 'json' };
import type { CaseChannel, DisputeType, PartySide } from '#shared/cases.ts';

// The case file is kept in Chinese whoever binds it: its words come from the UI's Chinese messages,
// so that the file and the pages name things alike.

const table = messages as Record<string, string>;

export const disputeTypeName = (type: DisputeType) => table[`dispute_type_${type}`] ?? type;
export const channelName = (channel: CaseChannel) => table[`case_channel_${channel}`] ?? channel;
export const sideName = (side: PartySide) => table[`party_side_${side}`] ?? side;

/** An audit event as the timeline tells it in Chinese ("张三 受理了案件"), or its code when it has no sentence. */
export function eventSentence(action: string, actor: string): string {
	const sentence = table[`timeline_${action.replaceAll('.', '_')}`];
	return sentence ? sentence.replace('{actor}', actor) : `${actor}：${action}`;
}
