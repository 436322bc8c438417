import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

describe('notification settings', () => {
	test('default to the log provider, the worker in the app, and no e-mail', () => {
		const { notifications } = loadConfig({});
		expect(notifications).toMatchObject({
			worker: 'inline',
			sms: { provider: 'log', templates: {} },
			email: undefined
		});
	});

	test('a provider without its credentials, or templates of unknown kinds, stop the process naming the variable', () => {
		expect(() => loadConfig({ SMS_PROVIDER: 'aliyun' })).toThrow(/ALIYUN_ACCESS_KEY_ID/);
		expect(() => loadConfig({ SMS_PROVIDER: 'tencent', TENCENT_SECRET_ID: 'x', TENCENT_SECRET_KEY: 'y' })).toThrow(
			/TENCENT_SMS_APP_ID/
		);
		expect(() => loadConfig({ SMS_TEMPLATES: 'no_such_kind=SMS_1' })).toThrow(ConfigError);
		expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.gov.cn' })).toThrow(/MAIL_FROM/);
	});

	test('an SMS rate so low that a batch would outlast its jobs is refused', () => {
		expect(loadConfig({ SMS_MAX_PER_SECOND: '200' }).notifications.sms.maxPerSecond).toBe(200);
		expect(loadConfig({}).notifications.sms.maxPerSecond).toBeUndefined();
		expect(() =>
			loadConfig({ SMS_MAX_PER_SECOND: '1', NOTIFY_CONCURRENCY: '40', NOTIFY_JOB_TIMEOUT_SECONDS: '60' })
		).toThrow(/SMS_MAX_PER_SECOND/);
	});

	test('secrets never print: not as JSON, not in a log line, not inspected', () => {
		const config = loadConfig({
			SMS_PROVIDER: 'aliyun',
			ALIYUN_ACCESS_KEY_ID: 'LTAIkey',
			ALIYUN_ACCESS_KEY_SECRET: 'very-secret-value',
			SMTP_URL: 'smtps://notify:mail-password@smtp.example.gov.cn:465',
			MAIL_FROM: 'notify@example.gov.cn',
			SMS_TEMPLATES: 'application_received=SMS_1, test=SMS_2'
		});
		for (const printed of [
			JSON.stringify(config),
			inspect(config, { depth: 10 }),
			String(config.notifications.email?.smtpUrl)
		]) {
			expect(printed).not.toContain('very-secret-value');
			expect(printed).not.toContain('mail-password');
		}
		expect(config.notifications.sms.aliyun?.accessKeySecret.reveal()).toBe('very-secret-value');
		expect(config.notifications.sms.templates).toEqual({ application_received: 'SMS_1', test: 'SMS_2' });
	});
});
