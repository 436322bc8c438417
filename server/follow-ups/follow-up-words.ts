import type { FollowUpMethod, FollowUpPerformance } from '#shared/follow-ups.ts';

/** The words a follow-up record prints for its coded fields; the pages say the same through the i18n messages. */
export const FOLLOW_UP_WORDS = {
	methods: { phone: '电话回访', in_person: '上门回访' } satisfies Record<FollowUpMethod, string>,
	performance: { fully: '已全部履行', partly: '部分履行', not: '未履行' } satisfies Record<FollowUpPerformance, string>,
	satisfaction: ['非常不满意', '不满意', '一般', '满意', '非常满意']
} as const;
