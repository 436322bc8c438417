import nodemailer, { type Transporter } from 'nodemailer';
import type { Secret } from '../notification-config.ts';
import { ProviderError, type OutgoingMessage, type SendResult, type Transport } from './transport.ts';

/** E-mail over SMTP (nodemailer), to the server `SMTP_URL` names, from `MAIL_FROM`. */
export class SmtpMail implements Transport {
	readonly name = 'smtp';
	readonly #transporter: Transporter;
	readonly #from: string;

	constructor(options: { smtpUrl: Secret; from: string }) {
		this.#transporter = nodemailer.createTransport({
			url: options.smtpUrl.reveal(),
			connectionTimeout: 15_000,
			greetingTimeout: 15_000,
			socketTimeout: 30_000
		});
		this.#from = options.from;
	}

	async send(message: OutgoingMessage): Promise<SendResult> {
		try {
			const info = await this.#transporter.sendMail({
				from: this.#from,
				to: message.to,
				subject: message.subject,
				text: `${message.text}\n\n${message.signName}`,
				headers: { 'X-Tiaojie-Notification': message.id }
			});
			return { provider: this.name, messageId: info.messageId ?? null, delivered: false };
		} catch (error) {
			const failure = error as { responseCode?: number; code?: string; message: string };
			// A 5xx reply refuses the message for good; a 4xx, or no connection, may pass later.
			if (failure.responseCode) {
				throw new ProviderError(`SMTP_${failure.responseCode}`, failure.message, failure.responseCode < 500);
			}
			throw new ProviderError(failure.code ?? 'SMTP', failure.message, true);
		}
	}

	async close(): Promise<void> {
		this.#transporter.close();
	}
}
