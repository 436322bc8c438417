import type { FollowUpMethod, FollowUpState, FollowUpPerformance } from '$lib/shared/follow-ups';
import { m } from './paraglide/messages';

export const followUpMethodLabel = (method: FollowUpMethod): string =>
	({ phone: m.follow_up_method_phone, in_person: m.follow_up_method_in_person })[method]();

export const performanceLabel = (state: FollowUpPerformance): string =>
	({
		fully: m.follow_up_performance_fully,
		partly: m.follow_up_performance_partly,
		not: m.follow_up_performance_not
	})[state]();

export const followUpStateLabel = (state: FollowUpState): string =>
	({
		upcoming: m.follow_up_state_upcoming,
		due: m.follow_up_state_due,
		overdue: m.follow_up_state_overdue,
		recorded: m.follow_up_state_recorded
	})[state]();

/** How far a follow-up not yet made is from its day: overdue by so many days, due today, or due in so many. */
export function dueDistanceLabel(daysOverdue: number): string {
	if (daysOverdue > 0) return m.follow_up_overdue_days({ days: daysOverdue });
	if (daysOverdue === 0) return m.follow_up_due_today();
	return m.follow_up_due_in_days({ days: -daysOverdue });
}
