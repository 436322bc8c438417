import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect } from 'vitest';
import { applyOnline } from '#server/cases/apply-online.ts';
import { describeChannels } from '#server/notifications/channels/channels.ts';
import { notifications } from '#server/db/schema.ts';
import { resendNotification } from '#server/notifications/resend-notification.ts';
import { sendTestMessage } from '#server/notifications/send-test-message.ts';
import { NOTIFICATION_KIND_NAMES } from '#shared/notifications.ts';
import { intakeForm } from '../support/case-network.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { queueSettled, test } from '../support/notifications.ts';
import { aliyunServer, tencentServer } from '../support/sms-servers.ts';

const aliyun = await aliyunServer({ LTAItestkey: 'aliyun-secret' });
const tencent = await tencentServer({ AKIDtestkey: 'tencent-secret' });

type Mail = { from: string; to: string; subject: string; text: string; user: string | undefined };
const mails: Mail[] = [];
const smtp = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	onAuth(auth, _session, callback) {
		if (auth.username === 'notify' && auth.password === 'smtp-password') callback(null, { user: auth.username });
		else callback(new Error('Invalid username or password'));
	},
	onRcptTo(address, _session, callback) {
		// A mailbox that does not exist is refused for good (550), as a real server does.
		if (address.address.startsWith('nobody@'))
			callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
		else callback();
	},
	onData(stream, session, callback) {
		simpleParser(stream).then((mail) => {
			mails.push({
				from: mail.from?.text ?? '',
				to: (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text ?? '',
				subject: mail.subject ?? '',
				text: mail.text ?? '',
				user: session.user as string | undefined
			});
			callback();
		}, callback);
	}
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as AddressInfo).port;

afterAll(async () => {
	await Promise.all([aliyun.close(), tencent.close(), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
});

const TEMPLATES = 'application_received=SMS_480001,test=SMS_480099';

describe('Aliyun SMS', () => {
	test.override('appEnv', {
		SMS_PROVIDER: 'aliyun',
		SMS_ENDPOINT: aliyun.url,
		ALIYUN_ACCESS_KEY_ID: 'LTAItestkey',
		ALIYUN_ACCESS_KEY_SECRET: 'aliyun-secret',
		SMS_TEMPLATES: TEMPLATES,
		SMS_SIGN_NAME: '桃源镇人民调解委员会'
	});

	test('sends the application template, signed so that the provider accepts it', async ({ app, network }) => {
		const { caseId, number, trackingToken } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const [message] = await queueSettled(app, caseId);
		expect(message).toMatchObject({ status: 'sent', provider: 'aliyun' });
		const received = aliyun.received.find((r) => r.reference === message.id)!;
		expect(message.providerMessageId).toBe(received.messageId);
		expect(received).toMatchObject({ to: '13800138000', signName: '桃源镇人民调解委员会', template: 'SMS_480001' });
		expect(received.params).toEqual([number, `https://tiaojie.example.gov.cn/track/${trackingToken}`]);
		expect(aliyun.refused).toEqual([]);
	});

	test('a kind without an approved template fails for good, naming why; the configuration shows it missing', async ({
		app,
		network
	}) => {
		const { scheduleMediation, setUpCase } = await import('../support/mediation-case.ts');
		const kase = await setUpCase(app, network);
		await scheduleMediation(app, network, kase);
		const invitations = (await queueSettled(app, kase.caseId)).filter((m) => m.kind.startsWith('invitation'));
		expect(invitations.length).toBeGreaterThan(0);
		for (const message of invitations) expect(message).toMatchObject({ status: 'failed', errorCode: 'NO_TEMPLATE' });
		const status = describeChannels(app.config.notifications, NOTIFICATION_KIND_NAMES);
		expect(status.sms.templates.find((t) => t.kind === 'invitation_link')?.code).toBeNull();
		expect(status.sms.credentialId).toBe('LTAI…tkey');
		expect(JSON.stringify(status)).not.toContain('aliyun-secret');
	});
});

describe('Aliyun SMS with a wrong secret', () => {
	test.override('appEnv', {
		SMS_PROVIDER: 'aliyun',
		SMS_ENDPOINT: aliyun.url,
		ALIYUN_ACCESS_KEY_ID: 'LTAItestkey',
		ALIYUN_ACCESS_KEY_SECRET: 'not-the-secret',
		SMS_TEMPLATES: TEMPLATES
	});

	test("fails with the provider's code, without retrying what cannot pass", async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const [message] = await queueSettled(app, caseId);
		expect(message).toMatchObject({ status: 'failed', errorCode: 'SignatureDoesNotMatch', attempts: 1 });
		expect(aliyun.refused).toContain('SignatureDoesNotMatch');
	});
});

describe('Tencent Cloud SMS', () => {
	test.override('appEnv', {
		SMS_PROVIDER: 'tencent',
		SMS_ENDPOINT: tencent.url,
		TENCENT_SECRET_ID: 'AKIDtestkey',
		TENCENT_SECRET_KEY: 'tencent-secret',
		TENCENT_SMS_APP_ID: '1400000001',
		SMS_TEMPLATES: TEMPLATES,
		NOTIFY_RETRY_SECONDS: '1'
	});

	test('a provider error that may pass is retried with backoff until the message goes, once', async ({
		app,
		network
	}) => {
		tencent.script.push('InternalError.Timeout', 'LimitExceeded.PhoneNumberOneHourLimit');
		const { caseId, number } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		let message = (await queueSettled(app, caseId))[0];
		for (let i = 0; i < 100 && message.status === 'queued'; i++) {
			await new Promise((resolve) => setTimeout(resolve, 300));
			message = (await queueSettled(app, caseId))[0];
		}
		expect(message).toMatchObject({ status: 'sent', provider: 'tencent', attempts: 3, errorCode: null });
		const received = tencent.received.filter((r) => r.reference === message.id);
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({ to: '13800138000', template: 'SMS_480001', signName: '东村人民调解委员会' });
		expect(received[0].params[0]).toBe(number);
	});

	test('a number the provider refuses fails for good, and a mediator may resend it', async ({ app, network }) => {
		tencent.script.push('InvalidParameterValue.IncorrectPhoneNumber');
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const [failed] = await queueSettled(app, caseId);
		expect(failed).toMatchObject({ status: 'failed', errorCode: 'InvalidParameterValue.IncorrectPhoneNumber' });

		await expectAppError(
			resendNotification(app, network.westMediator, { notificationId: failed.id }, null),
			'NOT_FOUND'
		);
		await resendNotification(app, network.eastMediator, { notificationId: failed.id }, null);
		const after = await queueSettled(app, caseId);
		expect(after.map((m) => m.status).sort()).toEqual(['failed', 'sent']);
	});
});

describe('e-mail over SMTP', () => {
	test.override('appEnv', {
		SMTP_URL: `smtp://notify:smtp-password@127.0.0.1:${smtpPort}`,
		MAIL_FROM: '桃源镇调解 <notify@tiaojie.example.gov.cn>'
	});

	test('a test message reaches a real SMTP server, logged in; a refused mailbox fails with its code', async ({
		app,
		network
	}) => {
		const id = await sendTestMessage(app, network.admin, { to: 'mediator@example.gov.cn' });
		await queueSettled(app);
		const [row] = await app.db.select().from(notifications).where(eq(notifications.id, id!));
		expect(row).toMatchObject({ status: 'sent', provider: 'smtp', channel: 'email' });
		const mail = mails.find((m) => m.to === 'mediator@example.gov.cn')!;
		expect(mail).toMatchObject({ from: '"桃源镇调解" <notify@tiaojie.example.gov.cn>', user: 'notify' });
		expect(mail.subject).toContain('青石镇人民调解委员会');
		expect(mail.text).toContain('这是一条测试消息');

		const refused = await sendTestMessage(app, network.admin, { to: 'nobody@example.gov.cn' });
		await queueSettled(app);
		const [failed] = await app.db.select().from(notifications).where(eq(notifications.id, refused!));
		expect(failed).toMatchObject({ status: 'failed', errorCode: 'SMTP_550' });

		await expectAppError(sendTestMessage(app, network.admin, { to: '12345' }), 'VALIDATION', { to: ['invalid'] });
		await expectAppError(sendTestMessage(app, network.eastMediator, { to: 'a@b.cn' }), 'FORBIDDEN');
	});
});
