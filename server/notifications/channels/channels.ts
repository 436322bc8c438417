import type { NotificationKind } from '#shared/notifications.ts';
import type { Logger } from '../../log.ts';
import type { NotificationConfig } from '../notification-config.ts';
import { AliyunSms } from './aliyun-sms.ts';
import { LogSms } from './log-sms.ts';
import { SmtpMail } from './smtp-mail.ts';
import { TencentSms } from './tencent-sms.ts';
import type { Transport } from './transport.ts';

export type Transports = { sms: Transport | null; email: Transport | null };

/** The transports the configuration names: an SMS provider (or none: `off`), and SMTP when `SMTP_URL` is set. */
export function buildTransports(config: NotificationConfig, log: Logger): Transports {
	const { sms } = config;
	let smsTransport: Transport | null = null;
	if (sms.provider === 'log') smsTransport = new LogSms(log);
	if (sms.provider === 'aliyun' && sms.aliyun) smsTransport = new AliyunSms({ endpoint: sms.endpoint, ...sms.aliyun });
	if (sms.provider === 'tencent' && sms.tencent)
		smsTransport = new TencentSms({ endpoint: sms.endpoint, ...sms.tencent });
	return { sms: smsTransport, email: config.email ? new SmtpMail(config.email) : null };
}

/** What an admin sees of the channels: which are on, and what is missing; never a credential. */
export type ChannelStatus = {
	sms: {
		provider: string;
		/** Sends to real phones (not `log`, not `off`). */
		live: boolean;
		signName: string | null;
		endpoint: string | null;
		credentialId: string | null;
		templates: { kind: NotificationKind; code: string | null }[];
	};
	email: { configured: boolean; server: string | null; from: string | null };
	inapp: { configured: true };
	worker: 'inline' | 'off';
};

/** An identifier shown by its first and last characters only. */
const partly = (id: string) => (id.length <= 8 ? '****' : `${id.slice(0, 4)}…${id.slice(-4)}`);

export function describeChannels(config: NotificationConfig, kinds: readonly NotificationKind[]): ChannelStatus {
	const { sms, email } = config;
	const credentialId =
		sms.provider === 'aliyun' ? sms.aliyun?.accessKeyId : sms.provider === 'tencent' ? sms.tencent?.secretId : null;
	let server: string | null = null;
	if (email) {
		const url = new URL(email.smtpUrl.reveal());
		server = `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
	}
	return {
		sms: {
			provider: sms.provider,
			live: sms.provider === 'aliyun' || sms.provider === 'tencent',
			signName: sms.signName ?? null,
			endpoint: sms.endpoint ?? null,
			credentialId: credentialId ? partly(credentialId) : null,
			templates: kinds.map((kind) => ({ kind, code: sms.templates[kind] ?? null }))
		},
		email: { configured: !!email, server, from: email?.from ?? null },
		inapp: { configured: true },
		worker: config.worker
	};
}
