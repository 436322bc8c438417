import {
	undelivered,
	type NotificationChannel,
	type NotificationKind,
	type NotificationStatus,
	type NotificationView
} from '$lib/shared/notifications';
import { m } from './paraglide/messages';

const KINDS: Record<NotificationKind, () => string> = {
	application_received: m.notify_kind_application_received,
	invitation_issued: m.notify_kind_invitation_issued,
	invitation_link: m.notify_kind_invitation_link,
	invitation_pin: m.notify_kind_invitation_pin,
	meeting_reminder_24h: m.notify_kind_meeting_reminder_24h,
	meeting_reminder_1h: m.notify_kind_meeting_reminder_1h,
	meeting_moved: m.notify_kind_meeting_moved,
	meeting_cancelled: m.notify_kind_meeting_cancelled,
	consultation_requested: m.notify_kind_consultation_requested,
	consultation_accepted: m.notify_kind_consultation_accepted,
	agreement_ready: m.notify_kind_agreement_ready,
	agreement_sealed: m.notify_kind_agreement_sealed,
	performance_due: m.notify_kind_performance_due,
	performance_overdue: m.notify_kind_performance_overdue,
	followup_survey: m.notify_kind_followup_survey,
	warning_assigned: m.notify_kind_warning_assigned,
	test: m.notify_kind_test
};

const STATUSES: Record<NotificationStatus, () => string> = {
	queued: m.notify_status_queued,
	sending: m.notify_status_sending,
	sent: m.notify_status_sent,
	delivered: m.notify_status_delivered,
	failed: m.notify_status_failed,
	suppressed: m.notify_status_suppressed
};

const CHANNELS: Record<NotificationChannel, () => string> = {
	sms: m.notify_channel_sms,
	email: m.notify_channel_email,
	inapp: m.notify_channel_inapp
};

/** Our own reasons, in words; a provider's code (isv.…, LimitExceeded.…, SMTP_550) is shown as it came. */
const CODES: Record<string, () => string> = {
	QUIET_HOURS: m.notify_code_QUIET_HOURS,
	RATE_LIMITED: m.notify_code_RATE_LIMITED,
	OPTED_OUT: m.notify_code_OPTED_OUT,
	NO_ADDRESS: m.notify_code_NO_ADDRESS,
	INVALID_NUMBER: m.notify_code_INVALID_NUMBER,
	UNKNOWN_OUTCOME: m.notify_code_UNKNOWN_OUTCOME,
	CHANNEL_OFF: m.notify_code_CHANNEL_OFF,
	NO_TEMPLATE: m.notify_code_NO_TEMPLATE
};

export const notificationKindLabel = (kind: string) => KINDS[kind as NotificationKind]?.() ?? kind;
export const notificationStatusLabel = (status: NotificationStatus) => STATUSES[status]();
/** One message's state: a failure after it was sent reads as not delivered. */
export const messageStateLabel = (message: Pick<NotificationView, 'status' | 'receiptAt'>) =>
	undelivered(message) ? m.notify_status_undelivered() : notificationStatusLabel(message.status);
export const notificationChannelLabel = (channel: string) => CHANNELS[channel as NotificationChannel]?.() ?? channel;
export const notificationCodeLabel = (code: string) => CODES[code]?.() ?? code;
