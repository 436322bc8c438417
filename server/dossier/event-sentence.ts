import messages from '../../src/lib/i18n/messages/zh-CN.json' with { type: 'json' };

const sentences = messages as Record<string, string>;

/**
 * An audit event as the case's timeline tells it in Chinese ("张三 受理了案件"), for the case file,
 * which is kept in Chinese whoever binds it; its code when it has no sentence.
 */
export function eventSentence(action: string, actor: string): string {
	const sentence = sentences[`timeline_${action.replaceAll('.', '_')}`];
	return sentence ? sentence.replace('{actor}', actor) : `${actor}：${action}`;
}
