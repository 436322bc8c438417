import type { TimelineEvent } from '#server/cases/get-case.ts';
import {
	ACCEPTANCE_SOURCES,
	CASE_CHANNELS,
	CASE_STATUSES,
	REFERRAL_TARGETS,
	type AcceptanceSource,
	type CaseChannel,
	type CaseStatus,
	type ReferralTarget
} from '$lib/shared/cases';
import { DOCUMENT_KINDS, type DocumentKind } from '$lib/shared/documents';
import { SESSION_CHOICES, type SessionChoice } from '$lib/shared/notice';
import {
	acceptanceSourceLabel,
	caseStatusLabel,
	channelLabel,
	referralTargetLabel,
	sealedKindLabel,
	sessionChoiceLabel
} from './labels';
import { notificationChannelLabel, notificationKindLabel } from './notification-labels';
import { changedDetailsLabel } from './party-labels';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

const oneOf =
	<T extends string>(values: readonly T[]) =>
	(value: unknown): value is T =>
		typeof value === 'string' && (values as readonly string[]).includes(value);
const isStatus = oneOf<CaseStatus>(CASE_STATUSES);
const isChannel = oneOf<CaseChannel>(CASE_CHANNELS);
const isSource = oneOf<AcceptanceSource>(ACCEPTANCE_SOURCES);
const isTarget = oneOf<ReferralTarget>(REFERRAL_TARGETS);
const isDocumentKind = oneOf<DocumentKind>(DOCUMENT_KINDS);
const isChoice = oneOf<SessionChoice>(SESSION_CHOICES);
const textOf = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/**
 * What an audit event recorded besides who did what (`timelineSentence`), one
 * line each: the status change, reasons, dates, where the case went, who was
 * assigned or invited. Only the committee's view carries event data; for
 * everyone else this is empty. `names` maps the ids the events keep to names.
 */
export function timelineDetails(
	event: Pick<TimelineEvent, 'action' | 'data'>,
	names: Record<string, string>
): string[] {
	const { data } = event;
	const nameOf = (id: unknown) => (typeof id === 'string' && names[id]) || m.timeline_detail_unknown();
	const lines: string[] = [];
	if (isStatus(data.from) && isStatus(data.to))
		lines.push(m.timeline_detail_status({ from: caseStatusLabel(data.from), to: caseStatusLabel(data.to) }));
	if (isSource(data.acceptanceSource))
		lines.push(m.timeline_detail_acceptance_source({ source: acceptanceSourceLabel(data.acceptanceSource) }));
	if (data.consent === true) lines.push(m.timeline_detail_consent());
	if (event.action === 'case.submitted' && isChannel(data.channel))
		lines.push(m.timeline_detail_channel({ channel: channelLabel(data.channel) }));
	const deadline = textOf(data.deadline);
	if (deadline && !Number.isNaN(Date.parse(deadline)))
		lines.push(
			m.timeline_detail_deadline({
				date: new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(new Date(deadline))
			})
		);
	// Kept as typed into the form: a wall-clock time of the place, with no zone to convert from.
	const scheduledFor = textOf(data.scheduledFor);
	if (scheduledFor) lines.push(m.timeline_detail_scheduled({ when: scheduledFor.replace('T', ' ') }));
	if (data.fromCommitteeId && data.toCommitteeId)
		lines.push(m.timeline_detail_committees({ from: nameOf(data.fromCommitteeId), to: nameOf(data.toCommitteeId) }));
	if (event.action === 'case.mediators_assigned' && Array.isArray(data.to))
		lines.push(m.timeline_detail_mediators({ names: data.to.map(nameOf).join(m.list_separator()) }));
	if (data.expertId) lines.push(m.timeline_detail_expert({ name: nameOf(data.expertId) }));
	if (data.partyId) lines.push(m.timeline_detail_party({ name: nameOf(data.partyId) }));
	if (event.action === 'party.updated' && Array.isArray(data.changed))
		lines.push(m.timeline_detail_party_changed({ fields: changedDetailsLabel(data.changed) }));
	if (event.action.startsWith('notice.') && typeof data.version === 'number' && isChoice(data.sessionChoice))
		lines.push(m.timeline_detail_notice({ version: data.version, choice: sessionChoiceLabel(data.sessionChoice) }));
	const kind = textOf(data.kind);
	const channel = textOf(data.channel);
	if (event.action === 'notification.resent' && kind && channel)
		lines.push(
			m.timeline_detail_notification({ kind: notificationKindLabel(kind), channel: notificationChannelLabel(channel) })
		);
	if (event.action === 'notification.preferences_changed' && Array.isArray(data.optOut))
		lines.push(
			data.optOut.length
				? m.timeline_detail_sms_off({ kinds: data.optOut.map(notificationKindLabel).join(m.list_separator()) })
				: m.timeline_detail_sms_all()
		);
	const filename = textOf(data.filename);
	if (filename) lines.push(m.timeline_detail_file({ name: filename }));
	if (isTarget(data.referralTarget))
		lines.push(m.timeline_detail_referral({ target: referralTargetLabel(data.referralTarget) }));
	const reason = textOf(data.reason);
	if (reason) lines.push(m.timeline_detail_reason({ reason }));
	if (event.action === 'document.sealed' && isDocumentKind(data.kind))
		lines.push(m.timeline_detail_document({ document: sealedKindLabel(data.kind) }));
	const summary = textOf(data.summary);
	if (summary) lines.push(m.timeline_detail_summary({ summary }));
	return lines;
}
