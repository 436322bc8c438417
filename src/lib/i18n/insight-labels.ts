import type { WarningEvent, WarningItem } from '#server/insight/list-warnings.ts';
import type { DisputeType } from '$lib/shared/cases';
import type { RiskCategory, WarningRule, WarningSeverity, WarningStatus } from '$lib/shared/warnings';
import { disputeTypeLabel } from './labels';
import { m } from './paraglide/messages';

export const warningRuleLabel = (rule: WarningRule): string =>
	({
		repeat_person: m.warning_rule_repeat_person,
		repeat_household: m.warning_rule_repeat_household,
		repeat_place: m.warning_rule_repeat_place,
		village_surge: m.warning_rule_village_surge,
		deadline_near: m.warning_rule_deadline_near,
		deadline_overdue: m.warning_rule_deadline_overdue,
		risk_words: m.warning_rule_risk_words,
		performance_overdue: m.warning_rule_performance_overdue,
		judicial_deadline_near: m.warning_rule_judicial_deadline_near
	})[rule]();

export const warningSeverityLabel = (severity: WarningSeverity): string =>
	({ low: m.warning_severity_low, medium: m.warning_severity_medium, high: m.warning_severity_high })[severity]();

export const warningStatusLabel = (status: WarningStatus): string =>
	({
		open: m.warning_status_open,
		acknowledged: m.warning_status_acknowledged,
		resolved: m.warning_status_resolved
	})[status]();

export const riskCategoryLabel = (category: RiskCategory): string =>
	({
		violence: m.risk_category_violence,
		threat: m.risk_category_threat,
		petition: m.risk_category_petition,
		group: m.risk_category_group
	})[category]();

export const surveyScoreLabel = (score: number): string =>
	[m.survey_score_1, m.survey_score_2, m.survey_score_3, m.survey_score_4, m.survey_score_5][score - 1]();

/** What the rule found, in a sentence; `date` formats the deadlines. */
export function warningDetail(warning: Pick<WarningItem, 'rule' | 'details'>, date: Intl.DateTimeFormat): string {
	const d = warning.details as Record<string, never>;
	const numbers = (cases: { number: string }[]) => cases.map((c) => c.number).join(m.list_separator());
	switch (warning.rule) {
		case 'repeat_person':
			return m.warning_detail_repeat_person({ name: d.name, days: d.days, cases: numbers(d.cases) });
		case 'repeat_household':
			return m.warning_detail_repeat_household({ address: d.address, days: d.days, cases: numbers(d.cases) });
		case 'repeat_place':
			return m.warning_detail_repeat_place({
				days: d.days,
				count: d.count,
				type: disputeTypeLabel(d.disputeType as DisputeType)
			});
		case 'village_surge':
			return m.warning_detail_village_surge({
				village: d.village,
				month: d.month,
				count: d.count,
				average: d.average,
				margin: d.marginPercent
			});
		case 'deadline_near':
			return m.warning_detail_deadline_near({ deadline: date.format(new Date(d.deadline)) });
		case 'deadline_overdue':
			return m.warning_detail_deadline_overdue({ deadline: date.format(new Date(d.deadline)) });
		case 'risk_words':
			return m.warning_detail_risk_words({ words: (d.words as string[]).join(m.list_separator()) });
		case 'performance_overdue':
			return m.warning_detail_performance_overdue({
				party: d.party,
				// A day, not a moment: read at noon in China so that no zone moves it.
				due: date.format(new Date(`${d.dueOn}T12:00:00+08:00`)),
				description: d.description
			});
		case 'judicial_deadline_near':
			return m.warning_detail_judicial_deadline_near({
				sealed: date.format(new Date(d.sealedAt)),
				court: String(d.court ?? '')
			});
	}
}

/** One step of a warning's history, as a sentence. */
export function warningEventSentence(event: WarningEvent): string {
	const actor = event.actorName;
	switch (event.action) {
		case 'warning.acknowledged':
			return m.warning_event_acknowledged({ actor });
		case 'warning.assigned':
			return m.warning_event_assigned({ actor, assignee: String(event.data.assigneeName ?? '') });
		default:
			return m.warning_event_resolved({ actor, note: String(event.data.note ?? '') });
	}
}
