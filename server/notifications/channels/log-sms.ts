import { MASKED_PIN } from '#shared/notifications.ts';
import type { Logger } from '../../log.ts';
import type { OutgoingMessage, SendResult, Transport } from './transport.ts';

/**
 * For development and tests: records each SMS (in the log, its secrets masked, and in `sent`, the
 * last thousand, for tests to read) instead of sending it, and counts it delivered.
 */
export class LogSms implements Transport {
	readonly name = 'log';
	readonly sent: OutgoingMessage[] = [];
	readonly #log: Logger;

	constructor(log: Logger) {
		this.#log = log;
	}

	async send(message: OutgoingMessage): Promise<SendResult> {
		this.sent.push(message);
		if (this.sent.length > 1000) this.sent.shift();
		const secrets = message.params.filter(([name]) => name === 'pin').map(([, value]) => value);
		const text = secrets.reduce((masked, secret) => masked.replaceAll(secret, MASKED_PIN), message.text);
		this.#log.info(
			{ notificationId: message.id, to: message.to, text: `【${message.signName}】${text}` },
			'SMS recorded (log provider)'
		);
		return { provider: this.name, messageId: null, delivered: true };
	}
}
