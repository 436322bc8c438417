import { z } from 'zod';
import { NOTIFICATION_KIND_NAMES, type NotificationKind } from '#shared/notifications.ts';
import { Secret } from './secret.ts';

export { Secret };

export const SMS_PROVIDERS = ['log', 'aliyun', 'tencent', 'off'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

export type NotificationConfig = Readonly<{
	/** `inline`: this process works the queue; `off`: only separate `npm run worker` processes do. */
	worker: 'inline' | 'off';
	/** Messages worked on at once by one process. */
	concurrency: number;
	/** How long a send may take before its job counts as abandoned (its process killed) and is taken up again. */
	jobTimeoutSeconds: number;
	/** The first wait before a failed send is tried again; each later one doubles, up to an hour. */
	retrySeconds: number;
	sms: Readonly<{
		provider: SmsProviderName;
		/** The pre-approved SMS signature; by default each committee's own name. */
		signName: string | undefined;
		/** Each kind's pre-approved template at the provider. */
		templates: Readonly<Partial<Record<NotificationKind, string>>>;
		/** The provider's API address, for a proxy or a test server; else its public one. */
		endpoint: string | undefined;
		aliyun: Readonly<{ accessKeyId: string; accessKeySecret: Secret; region: string }> | undefined;
		tencent: Readonly<{ secretId: string; secretKey: Secret; appId: string; region: string }> | undefined;
		/** SMS to one number in an hour, beyond which the rest wait. */
		maxPerHour: number;
		/** SMS one process starts in a second at most, evenly spaced (the provider's QPS limit); unset, as fast as it goes. */
		maxPerSecond: number | undefined;
		/**
		 * `poll`: the provider is asked for delivery receipts every minute; `off`: never (the key may not
		 * read them, or the provider's pull is not enabled), so messages it took stay `sent`.
		 */
		receipts: 'poll' | 'off';
	}>;
	email: Readonly<{ smtpUrl: Secret; from: string }> | undefined;
}>;

const templates = z
	.string()
	.transform((v) => v.split(',').map((pair) => pair.trim().split('=')))
	.pipe(
		z.array(
			z.tuple(
				[z.enum(NOTIFICATION_KIND_NAMES as [NotificationKind, ...NotificationKind[]]), z.string().min(1).max(64)],
				{
					error: 'kind=TEMPLATE_CODE pairs separated by commas, with kinds of the notifications table'
				}
			)
		)
	)
	.transform((pairs) => Object.fromEntries(pairs) as Partial<Record<NotificationKind, string>>);

export const notificationEnvSchema = z.object({
	NOTIFY_WORKER: z.enum(['inline', 'off']).default('inline'),
	NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
	NOTIFY_JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
	NOTIFY_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
	SMS_PROVIDER: z.enum(SMS_PROVIDERS).default('log'),
	SMS_SIGN_NAME: z.string().min(2).max(20).optional(),
	SMS_TEMPLATES: templates.optional(),
	SMS_ENDPOINT: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
	SMS_MAX_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(6),
	SMS_MAX_PER_SECOND: z.coerce.number().int().min(1).max(10_000).optional(),
	SMS_RECEIPTS: z.enum(['poll', 'off']).default('poll'),
	ALIYUN_ACCESS_KEY_ID: z.string().min(1).optional(),
	ALIYUN_ACCESS_KEY_SECRET: z.string().min(1).optional(),
	ALIYUN_SMS_REGION: z.string().min(1).default('cn-hangzhou'),
	TENCENT_SECRET_ID: z.string().min(1).optional(),
	TENCENT_SECRET_KEY: z.string().min(1).optional(),
	TENCENT_SMS_APP_ID: z.string().min(1).optional(),
	TENCENT_SMS_REGION: z.string().min(1).default('ap-guangzhou'),
	SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' }).optional(),
	MAIL_FROM: z.string().min(3).max(254).optional()
});

/** The notification settings of the environment, or the problems with them (named by variable). */
export function notificationConfigOf(c: z.infer<typeof notificationEnvSchema>): NotificationConfig | string[] {
	const problems: string[] = [];
	if (c.SMS_PROVIDER === 'aliyun' && !(c.ALIYUN_ACCESS_KEY_ID && c.ALIYUN_ACCESS_KEY_SECRET)) {
		problems.push('ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET: required with SMS_PROVIDER=aliyun');
	}
	if (c.SMS_PROVIDER === 'tencent' && !(c.TENCENT_SECRET_ID && c.TENCENT_SECRET_KEY && c.TENCENT_SMS_APP_ID)) {
		problems.push('TENCENT_SECRET_ID, TENCENT_SECRET_KEY, TENCENT_SMS_APP_ID: required with SMS_PROVIDER=tencent');
	}
	if (c.SMTP_URL && !c.MAIL_FROM) problems.push('MAIL_FROM: required with SMTP_URL');
	// A batch of NOTIFY_CONCURRENCY sends waits its turns; past the job timeout its jobs would count as abandoned.
	if (c.SMS_MAX_PER_SECOND && c.NOTIFY_CONCURRENCY / c.SMS_MAX_PER_SECOND > c.NOTIFY_JOB_TIMEOUT_SECONDS / 2) {
		problems.push(
			'SMS_MAX_PER_SECOND: too low for NOTIFY_CONCURRENCY sends at once to go within half of NOTIFY_JOB_TIMEOUT_SECONDS'
		);
	}
	if (problems.length) return problems;
	return {
		worker: c.NOTIFY_WORKER,
		concurrency: c.NOTIFY_CONCURRENCY,
		jobTimeoutSeconds: c.NOTIFY_JOB_TIMEOUT_SECONDS,
		retrySeconds: c.NOTIFY_RETRY_SECONDS,
		sms: {
			provider: c.SMS_PROVIDER,
			signName: c.SMS_SIGN_NAME,
			templates: c.SMS_TEMPLATES ?? {},
			endpoint: c.SMS_ENDPOINT,
			aliyun:
				c.ALIYUN_ACCESS_KEY_ID && c.ALIYUN_ACCESS_KEY_SECRET
					? {
							accessKeyId: c.ALIYUN_ACCESS_KEY_ID,
							accessKeySecret: new Secret(c.ALIYUN_ACCESS_KEY_SECRET),
							region: c.ALIYUN_SMS_REGION
						}
					: undefined,
			tencent:
				c.TENCENT_SECRET_ID && c.TENCENT_SECRET_KEY && c.TENCENT_SMS_APP_ID
					? {
							secretId: c.TENCENT_SECRET_ID,
							secretKey: new Secret(c.TENCENT_SECRET_KEY),
							appId: c.TENCENT_SMS_APP_ID,
							region: c.TENCENT_SMS_REGION
						}
					: undefined,
			maxPerHour: c.SMS_MAX_PER_HOUR,
			maxPerSecond: c.SMS_MAX_PER_SECOND,
			receipts: c.SMS_RECEIPTS
		},
		email: c.SMTP_URL && c.MAIL_FROM ? { smtpUrl: new Secret(c.SMTP_URL), from: c.MAIL_FROM } : undefined
	};
}
