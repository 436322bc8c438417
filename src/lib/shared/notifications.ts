import { z } from 'zod';

/**
 * Notifications: what the app tells people, by which channel, and the rules it keeps doing so.
 * One table (`NOTIFICATION_KINDS`) says, for every kind of message, its texts, the variables its
 * SMS template carries (the providers want pre-approved templates whose variables are filled
 * in), and whether a person may opt out of it.
 */

export const NOTIFICATION_CHANNELS = ['sms', 'email', 'inapp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * queued → sending → sent → delivered, or failed (with the provider's code: refused when sent, or,
 * with a receipt time, not delivered by the carrier). `suppressed`: the person opted out, or had no
 * usable address; it was never sent.
 */
export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'suppressed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const NOTIFICATION_LOCALES = ['zh-CN', 'en'] as const;
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

/** Whether an invitation's PIN goes in the message with its link, or in a message of its own (a committee's choice). */
export const PIN_DELIVERIES = ['same_message', 'separate_message'] as const;
export type PinDelivery = (typeof PIN_DELIVERIES)[number];

type Texts = Record<NotificationLocale, string>;

export type NotificationKindSpec = {
	/** What the text says, with `{variable}`s; the committee's name signs it (【…】) outside the text. */
	texts: Texts;
	/** The SMS template's variables, in the order Tencent Cloud numbers them ({1}, {2}, …); Aliyun names them. */
	params: readonly string[];
	/** Sent whatever the person chose: what they must know to take part in their case. */
	mandatory: boolean;
	/** Of interest to staff only: goes to their inbox and e-mail, and by SMS only when they have a phone on file. */
	staff?: boolean;
	/** Sent at night too (an admin's test of the channel, to their own phone). */
	quietHoursExempt?: boolean;
};

/**
 * Every message the app sends. Texts stay within two SMS (134 characters with the signature;
 * a link counts as its length) and carry nothing a stranger who sees the phone could misuse but the
 * PIN, which goes only to the invited person.
 */
export const NOTIFICATION_KINDS = {
	application_received: {
		texts: {
			'zh-CN': '您的调解申请已收到，案号{caseNumber}。查看进度：{link}',
			en: 'Your mediation application {caseNumber} was received. Follow it at {link}'
		},
		params: ['caseNumber', 'link'],
		mandatory: true
	},
	invitation_issued: {
		texts: {
			'zh-CN': '请于{time}参加调解（案号{caseNumber}）。入口：{link} 口令：{pin}',
			en: 'Please join the mediation of {caseNumber} at {time}: {link} PIN {pin}'
		},
		params: ['time', 'caseNumber', 'link', 'pin'],
		mandatory: true
	},
	invitation_link: {
		texts: {
			'zh-CN': '请于{time}参加调解（案号{caseNumber}）。入口：{link} 口令另行发送。',
			en: 'Please join the mediation of {caseNumber} at {time}: {link} Your PIN follows separately.'
		},
		params: ['time', 'caseNumber', 'link'],
		mandatory: true
	},
	invitation_pin: {
		texts: {
			'zh-CN': '您参加调解（案号{caseNumber}）的口令为{pin}，请勿告诉他人。',
			en: 'Your PIN for the mediation of {caseNumber} is {pin}. Do not share it.'
		},
		params: ['caseNumber', 'pin'],
		mandatory: true
	},
	meeting_reminder_24h: {
		texts: {
			'zh-CN': '提醒：您的调解（案号{caseNumber}）将于{time}开始，{where}。',
			en: 'Reminder: your mediation of {caseNumber} starts at {time}, {where}.'
		},
		params: ['caseNumber', 'time', 'where'],
		mandatory: false
	},
	meeting_reminder_1h: {
		texts: {
			'zh-CN': '提醒：您的调解（案号{caseNumber}）将于1小时后（{time}）开始，{where}。',
			en: 'Reminder: your mediation of {caseNumber} starts in an hour ({time}), {where}.'
		},
		params: ['caseNumber', 'time', 'where'],
		mandatory: false
	},
	meeting_moved: {
		texts: {
			'zh-CN': '您原定{previousTime}的调解（案号{caseNumber}）改至{time}。',
			en: 'Your mediation of {caseNumber} moved from {previousTime} to {time}.'
		},
		params: ['previousTime', 'caseNumber', 'time'],
		mandatory: true
	},
	meeting_cancelled: {
		texts: {
			'zh-CN': '您原定{time}的调解（案号{caseNumber}）已取消，请留意调解员的新安排。',
			en: 'Your mediation of {caseNumber} at {time} is cancelled; your mediator will arrange another.'
		},
		params: ['time', 'caseNumber'],
		mandatory: true
	},
	consultation_requested: {
		texts: {
			'zh-CN': '案件{caseNumber}请您于{time}提供法律咨询，请登录确认。',
			en: 'Case {caseNumber} asks you for a legal consultation at {time}; please log in to accept.'
		},
		params: ['caseNumber', 'time'],
		mandatory: true,
		staff: true
	},
	consultation_accepted: {
		texts: {
			'zh-CN': '您申请的{time}法律咨询（案号{caseNumber}）已获接受。',
			en: 'Your legal consultation of {caseNumber} at {time} was accepted.'
		},
		params: ['time', 'caseNumber'],
		mandatory: true
	},
	agreement_ready: {
		texts: {
			'zh-CN': '调解协议（案号{caseNumber}）已可签署，请打开{link}签名。',
			en: 'The agreement of {caseNumber} is ready to sign: {link}'
		},
		params: ['caseNumber', 'link'],
		mandatory: true
	},
	agreement_sealed: {
		texts: {
			'zh-CN': '调解协议（案号{caseNumber}）已盖章生效，可在{link}下载。',
			en: 'The agreement of {caseNumber} is sealed; download it at {link}'
		},
		params: ['caseNumber', 'link'],
		mandatory: true
	},
	performance_due: {
		texts: {
			'zh-CN': '提醒：按调解协议（案号{caseNumber}），{item}应于{date}前履行。',
			en: 'Reminder: under the agreement of {caseNumber}, {item} is due by {date}.'
		},
		params: ['caseNumber', 'item', 'date'],
		mandatory: false
	},
	performance_overdue: {
		texts: {
			'zh-CN': '调解协议（案号{caseNumber}）约定{date}前履行的{item}已逾期，请尽快履行或联系调解员。',
			en: 'Under the agreement of {caseNumber}, {item} was due by {date} and is overdue; please perform it or call your mediator.'
		},
		params: ['caseNumber', 'date', 'item'],
		mandatory: false
	},
	followup_survey: {
		texts: {
			'zh-CN': '案件{caseNumber}调解已结束，请告诉我们协议履行情况：{link}',
			en: 'Your mediation of {caseNumber} has ended; tell us how the agreement is kept: {link}'
		},
		params: ['caseNumber', 'link'],
		mandatory: false
	},
	warning_assigned: {
		texts: {
			'zh-CN': '预警“{title}”已交由您跟进处理，请登录查看。',
			en: 'The warning "{title}" was assigned to you; please log in to follow it up.'
		},
		params: ['title'],
		mandatory: true,
		staff: true
	},
	test: {
		texts: {
			'zh-CN': '这是一条测试消息，收到即说明通知渠道工作正常。',
			en: 'This is a test message: the notification channel works.'
		},
		params: [],
		mandatory: true,
		staff: true,
		quietHoursExempt: true
	}
} as const satisfies Record<string, NotificationKindSpec>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];
export const notificationKindSchema = z.enum(NOTIFICATION_KIND_NAMES as [NotificationKind, ...NotificationKind[]]);

/** The kinds a person may turn off (everything not mandatory). */
export const OPTIONAL_KINDS = NOTIFICATION_KIND_NAMES.filter((kind) => !NOTIFICATION_KINDS[kind].mandatory);

/** What a party is always told, whatever they chose: what they must know to take part in their case. */
export const PARTY_MANDATORY_KINDS = NOTIFICATION_KIND_NAMES.filter((kind) => {
	const spec: NotificationKindSpec = NOTIFICATION_KINDS[kind];
	return spec.mandatory && !spec.staff;
});

/** Longest a variable's value may be (Aliyun refuses longer ones; a link is at most 100 there too). */
export const MAX_PARAM_LENGTH = 100;

/** Fills in a kind's text; a missing variable is left visible as `{name}` rather than dropped. */
export function renderNotification(
	kind: NotificationKind,
	locale: NotificationLocale,
	vars: Readonly<Record<string, string>>
): string {
	return NOTIFICATION_KINDS[kind].texts[locale].replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** The signature of an SMS, the committee's name in 【】, as Chinese SMS require. */
export const smsSignature = (committee: string) => `【${committee}】`;

/** The PIN as stored and shown: never the digits. */
export const MASKED_PIN = '******';

/** Variables of a message that are secrets: sent, never stored with the message nor logged. */
export const SECRET_PARAMS = ['pin'] as const;

// Quiet hours and rate limits ---------------------------------------------------------------------

/** China keeps one time zone without daylight saving: UTC+8. */
export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;
/** No SMS from 21:00 to 08:00 (China time) unless a meeting starts within the hour. */
export const QUIET_HOURS = { from: 21, until: 8 } as const;
/** A meeting at most this near lets an SMS through quiet hours. */
export const QUIET_HOURS_URGENT_MS = 60 * 60 * 1000;

const HOUR = 3_600_000;

/**
 * When an SMS may go out: `now`, unless it is within quiet hours and no meeting it is about
 * starts within the hour; then 08:00 China time next (or a meeting's last hour before it, if
 * that comes sooner and still lies in the night).
 */
export function smsAllowedAt(now: Date, meetingAt: Date | null = null): Date {
	const local = new Date(now.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000);
	const hour = local.getUTCHours();
	const quiet = hour >= QUIET_HOURS.from || hour < QUIET_HOURS.until;
	if (!quiet) return now;
	if (
		meetingAt &&
		meetingAt.getTime() > now.getTime() &&
		meetingAt.getTime() - now.getTime() <= QUIET_HOURS_URGENT_MS
	) {
		return now;
	}
	const morning = new Date(local);
	morning.setUTCHours(QUIET_HOURS.until, 0, 0, 0);
	if (hour >= QUIET_HOURS.from) morning.setUTCDate(morning.getUTCDate() + 1);
	const opens = new Date(morning.getTime() - CHINA_UTC_OFFSET_MINUTES * 60_000);
	if (
		meetingAt &&
		meetingAt.getTime() - QUIET_HOURS_URGENT_MS < opens.getTime() &&
		meetingAt.getTime() > now.getTime()
	) {
		return new Date(meetingAt.getTime() - QUIET_HOURS_URGENT_MS);
	}
	return opens;
}

/** `date` as a Chinese wall-clock time, for texts: 12月6日 15:00 / 6 Dec 15:00. */
export function formatMeetingTime(date: Date, locale: NotificationLocale): string {
	const local = new Date(date.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000);
	const hh = String(local.getUTCHours()).padStart(2, '0');
	const mm = String(local.getUTCMinutes()).padStart(2, '0');
	const month = local.getUTCMonth() + 1;
	const day = local.getUTCDate();
	if (locale === 'zh-CN') return `${month}月${day}日 ${hh}:${mm}`;
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	return `${day} ${months[month - 1]} ${hh}:${mm}`;
}

/** Reminders before a meeting, by kind, and how long before it each is due. */
export const MEETING_REMINDERS = [
	{ kind: 'meeting_reminder_24h', before: 24 * HOUR },
	{ kind: 'meeting_reminder_1h', before: HOUR }
] as const;

/** A mainland mobile number, as SMS can reach it: its bare 11 digits, or null. */
export function mainlandMobile(value: string | null | undefined): string | null {
	if (!value) return null;
	const compact = value.replace(/[\s\-()（）]/g, '').replace(/^(?:\+|00)?86(?=1\d{10}$)/, '');
	return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
}

/** A mobile number as a page shows it to whoever holds its link: 138****8000. */
export const maskedMobile = (mobile: string) => `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;

const EMAIL = z.email().max(254);
export const isEmailAddress = (value: string) => EMAIL.safeParse(value).success;

/** A message as the case page and the admin page show it: never its secret. */
export type NotificationView = {
	id: string;
	kind: string;
	channel: NotificationChannel;
	status: NotificationStatus;
	recipientName: string;
	address: string | null;
	body: string;
	provider: string | null;
	errorCode: string | null;
	error: string | null;
	attempts: number;
	createdAt: Date;
	sentAt: Date | null;
	/** By the SMS provider's receipt: when it reached the handset (`delivered`), or failed to (`failed`). */
	receiptAt: Date | null;
	notBefore: Date;
	caseId: string | null;
	caseNumber: string | null;
};

/** Sent, but the carrier's receipt says it never reached the phone (unlike a message the provider refused). */
export const undelivered = (message: Pick<NotificationView, 'status' | 'receiptAt'>) =>
	message.status === 'failed' && message.receiptAt !== null;

// Forms ---------------------------------------------------------------------------------------------

export const notificationPreferencesSchema = z.object({
	email: z
		.string()
		.trim()
		.max(254)
		.transform((v) => v || null)
		.pipe(z.email().nullable()),
	locale: z.enum(NOTIFICATION_LOCALES),
	optOut: z.array(z.enum(OPTIONAL_KINDS as [NotificationKind, ...NotificationKind[]])).max(OPTIONAL_KINDS.length)
});

/** The optional SMS a party without an account still wants, from their tracking page: the rest are turned off. */
export const smsPreferencesSchema = z.object({
	receive: z.array(z.enum(OPTIONAL_KINDS as [NotificationKind, ...NotificationKind[]])).max(OPTIONAL_KINDS.length)
});

/** A test message's recipient: a mainland mobile number or an e-mail address. */
export const testRecipientSchema = z.object({
	to: z
		.string()
		.trim()
		.min(1)
		.max(254)
		.refine((v) => mainlandMobile(v) !== null || isEmailAddress(v), 'invalid')
});

export const notificationIdSchema = z.object({ notificationId: z.uuid() });

export const pinDeliverySchema = z.object({ committeeId: z.uuid(), pinDelivery: z.enum(PIN_DELIVERIES) });
