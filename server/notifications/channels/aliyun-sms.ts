import { createHmac, randomUUID } from 'node:crypto';
import type { Secret } from '../notification-config.ts';
import { z } from 'zod';
import {
	chinaTime,
	postToProvider,
	ProviderError,
	type AwaitingReceipt,
	type DeliveryReceipt,
	type OutgoingMessage,
	type SendResult,
	type Transport
} from './transport.ts';

/** RFC 3986 percent-encoding as Aliyun's RPC signature wants it (space as %20, `*` encoded, `~` not). */
export function aliyunPercentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Aliyun's RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): the parameters sorted by
 * name and encoded into a canonical query, `METHOD&%2F&` + that query encoded again, signed with
 * HMAC-SHA1 under the AccessKey secret followed by `&`, in Base64.
 */
export function aliyunRpcSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
	const canonical = Object.keys(params)
		.sort()
		.map((key) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(params[key])}`)
		.join('&');
	const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
	return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** Aliyun's codes that may pass if tried later; any other refusal is final. */
const RETRYABLE =
	/^(Throttling|ServiceUnavailable|InternalError|isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|SignatureNonceUsed)/;

/** Aliyun's QuerySendDetails answer, as far as a receipt needs it (SendStatus 1 waiting, 2 failed, 3 delivered). */
const sendDetailsReply = z.object({
	Code: z.string(),
	Message: z.string().optional(),
	SmsSendDetailDTOs: z
		.object({
			SmsSendDetailDTO: z.array(
				z.object({
					SendStatus: z.coerce.number(),
					ErrCode: z.string().optional(),
					ReceiveDate: z.string().optional()
				})
			)
		})
		.optional()
});

/** The date Aliyun files a message under: the day it was sent, in China, as yyyyMMdd. */
const sendDateOf = (sentAt: Date) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(sentAt).replaceAll('-', '');

/** SMS through Aliyun's Short Message Service (dysmsapi, SendSms and QuerySendDetails, API version 2017-05-25). */
export class AliyunSms implements Transport {
	readonly name = 'aliyun';
	readonly #endpoint: string;
	readonly #accessKeyId: string;
	readonly #secret: Secret;
	readonly #region: string;

	constructor(options: { endpoint?: string; accessKeyId: string; accessKeySecret: Secret; region: string }) {
		this.#endpoint = options.endpoint ?? 'https://dysmsapi.aliyuncs.com/';
		this.#accessKeyId = options.accessKeyId;
		this.#secret = options.accessKeySecret;
		this.#region = options.region;
	}

	/** The signed form of a SendSms request (exposed for the tests, with a fixed nonce and time). */
	signedForm(message: OutgoingMessage, nonce: string = randomUUID(), now = new Date()): Record<string, string> {
		if (!message.templateCode)
			throw new ProviderError('NO_TEMPLATE', 'no Aliyun template is configured for this kind', false);
		return this.#signed(
			'SendSms',
			{
				PhoneNumbers: message.to,
				SignName: message.signName,
				TemplateCode: message.templateCode,
				TemplateParam: JSON.stringify(Object.fromEntries(message.params)),
				OutId: message.id
			},
			nonce,
			now
		);
	}

	/** The signed form of a QuerySendDetails request for one message (exposed for the tests). */
	receiptForm(message: AwaitingReceipt, nonce: string = randomUUID(), now = new Date()): Record<string, string> {
		return this.#signed(
			'QuerySendDetails',
			{
				PhoneNumber: message.to,
				BizId: message.messageId,
				SendDate: sendDateOf(message.sentAt),
				PageSize: '10',
				CurrentPage: '1'
			},
			nonce,
			now
		);
	}

	/** An action's form: its own parameters and the common ones, signed over all of them. */
	#signed(action: string, own: Record<string, string>, nonce: string, now: Date): Record<string, string> {
		const params: Record<string, string> = {
			AccessKeyId: this.#accessKeyId,
			Action: action,
			Format: 'JSON',
			RegionId: this.#region,
			SignatureMethod: 'HMAC-SHA1',
			SignatureNonce: nonce,
			SignatureVersion: '1.0',
			Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
			Version: '2017-05-25',
			...own
		};
		return { ...params, Signature: aliyunRpcSignature('POST', params, this.#secret.reveal()) };
	}

	async #post(form: Record<string, string>): Promise<unknown> {
		const { body } = await postToProvider(this.#endpoint, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(form).toString()
		});
		const reply = body as { Code?: string; Message?: string };
		if (reply.Code !== 'OK') {
			const code = reply.Code ?? 'UNKNOWN';
			throw new ProviderError(code, reply.Message ?? '', RETRYABLE.test(code));
		}
		return body;
	}

	async send(message: OutgoingMessage): Promise<SendResult> {
		const reply = (await this.#post(this.signedForm(message))) as { BizId?: string };
		return { provider: this.name, messageId: reply.BizId ?? null, delivered: false };
	}

	/** Asks for each message's record (by its BizId); one still waiting for the carrier's report has no receipt yet. */
	async receipts(awaiting: AwaitingReceipt[]): Promise<DeliveryReceipt[]> {
		return receiptsEach(awaiting, async (message) => {
			const reply = sendDetailsReply.safeParse(await this.#post(this.receiptForm(message)));
			if (!reply.success) throw new ProviderError('UNKNOWN', 'QuerySendDetails: an answer not as documented', true);
			const detail = reply.data.SmsSendDetailDTOs?.SmsSendDetailDTO[0];
			if (!detail || (detail.SendStatus !== 2 && detail.SendStatus !== 3)) return null;
			const delivered = detail.SendStatus === 3;
			return {
				messageId: message.messageId,
				to: message.to,
				delivered,
				code: detail.ErrCode || (delivered ? 'DELIVERED' : 'UNKNOWN'),
				at: chinaTime(detail.ReceiveDate) ?? new Date()
			};
		});
	}
}

/**
 * The receipts of messages asked one by one: those answered. A failure for one message (it is asked
 * again next time) does not lose the others; failing for all (wrong credentials, the provider down)
 * is the error of the whole.
 */
async function receiptsEach(
	awaiting: AwaitingReceipt[],
	ask: (message: AwaitingReceipt) => Promise<DeliveryReceipt | null>
): Promise<DeliveryReceipt[]> {
	const outcomes = await Promise.allSettled(awaiting.map(ask));
	const failure = outcomes.find((outcome) => outcome.status === 'rejected');
	if (failure && outcomes.every((outcome) => outcome.status === 'rejected')) throw failure.reason;
	return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' && outcome.value ? [outcome.value] : []));
}
