/**
 * `npm run notify:test -- <mobile number or e-mail address>`: sends one test message straight
 * through the configured channel (SMS_PROVIDER, or SMTP_URL for an address with @), without the
 * queue or the database, and prints what the provider answered: a check of the settings and
 * credentials from the server's shell. The admins' page /admin/notifications sends one through the queue.
 */
import { randomUUID } from 'node:crypto';
import { NOTIFICATION_KINDS, mainlandMobile, renderNotification } from '#shared/notifications.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { buildTransports } from '../notifications/channels/channels.ts';
import { ProviderError } from '../notifications/channels/transport.ts';

const to = process.argv[2]?.trim();
if (!to) {
	console.error('Usage: npm run notify:test -- <mobile number or e-mail address> [--en]');
	process.exit(2);
}
let config;
try {
	config = loadConfig({ LOG_LEVEL: 'info', ...process.env });
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	console.error(error.message);
	process.exit(1);
}
const mobile = mainlandMobile(to);
const email = !mobile && /^[^\s@]+@[^\s@]+$/.test(to) ? to : null;
if (!mobile && !email) {
	console.error(`${to}: neither a mainland mobile number (11 digits from 13 to 19) nor an e-mail address`);
	process.exit(2);
}
const transports = buildTransports(config.notifications, createLogger(config));
const transport = mobile ? transports.sms : transports.email;
if (!transport) {
	console.error(mobile ? 'SMS is off (SMS_PROVIDER=off).' : 'E-mail is not configured: set SMTP_URL and MAIL_FROM.');
	process.exit(1);
}
const signName = config.notifications.sms.signName ?? 'Tiaojie';
const text = renderNotification('test', process.argv.includes('--en') ? 'en' : 'zh-CN', {});
try {
	const result = await transport.send({
		id: randomUUID(),
		to: mobile ?? email!,
		signName,
		text,
		subject: `${signName}：${text}`,
		templateCode: config.notifications.sms.templates.test,
		params: NOTIFICATION_KINDS.test.params.map((name) => [name, ''])
	});
	console.log(`sent through ${result.provider}${result.messageId ? ` (message id ${result.messageId})` : ''}`);
} catch (error) {
	if (error instanceof ProviderError) {
		console.error(
			`${transport.name} refused it: ${error.code} ${error.message}${error.retry ? ' (may pass if tried later)' : ''}`
		);
		process.exitCode = 1;
	} else throw error;
} finally {
	await transport.close?.();
}
