import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Secret } from '../notification-config.ts';
import { z } from 'zod';
import {
	chinaTime,
	postToProvider,
	ProviderError,
	type DeliveryReceipt,
	type OutgoingMessage,
	type SendResult,
	type Transport
} from './transport.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * The last signing key derived: it changes with the UTC date, and deriving it for each message costs
 * three HMACs more. Kept as a KeyObject, which createHmac takes as it is (a Buffer it checks by a
 * failed brand test, an exception each time).
 */
let lastKey: { secretKey: string; date: string; service: string; key: KeyObject } | undefined;

function signingKeyOf(secretKey: string, date: string, service: string): KeyObject {
	if (lastKey?.secretKey !== secretKey || lastKey.date !== date || lastKey.service !== service) {
		const key = createSecretKey(hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request'));
		lastKey = { secretKey, date, service, key };
	}
	return lastKey.key;
}

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Tencent Cloud's signature v3 (TC3-HMAC-SHA256) of a POST with a JSON body: the canonical
 * request (method, `/`, empty query, the signed headers lower-cased and sorted, the body's SHA-256),
 * the string to sign (algorithm, timestamp, `date/service/tc3_request`, the request's SHA-256), and a
 * key derived from `TC3` + SecretKey through the UTC date, the service and `tc3_request`.
 * `action` given: `x-tc-action` is signed too, as Tencent now recommends.
 */
export function tc3Authorization(options: {
	secretId: string;
	secretKey: string;
	service: string;
	host: string;
	timestamp: number;
	payload: string;
	action?: string;
}): { authorization: string; canonicalRequest: string; stringToSign: string } {
	const headers: [string, string][] = [
		['content-type', TC3_CONTENT_TYPE],
		['host', options.host.toLowerCase()]
	];
	if (options.action) headers.push(['x-tc-action', options.action.toLowerCase()]);
	const signedHeaders = headers.map(([name]) => name).join(';');
	const canonicalRequest = [
		'POST',
		'/',
		'',
		headers.map(([name, value]) => `${name}:${value}\n`).join(''),
		signedHeaders,
		sha256(options.payload)
	].join('\n');
	const date = new Date(options.timestamp * 1000).toISOString().slice(0, 10);
	const scope = `${date}/${options.service}/tc3_request`;
	const stringToSign = ['TC3-HMAC-SHA256', String(options.timestamp), scope, sha256(canonicalRequest)].join('\n');
	const signature = createHmac('sha256', signingKeyOf(options.secretKey, date, options.service))
		.update(stringToSign, 'utf8')
		.digest('hex');
	return {
		authorization: `TC3-HMAC-SHA256 Credential=${options.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
		canonicalRequest,
		stringToSign
	};
}

/** Tencent's codes that may pass if tried later; any other refusal is final. */
const RETRYABLE =
	/^(InternalError|RequestLimitExceeded|LimitExceeded\.(PhoneNumberThirtySecondLimit|PhoneNumberOneHourLimit|AppGlobalDailyLimit|PhoneNumberDailyLimit|DailyLimit)|FailedOperation\.InsufficientBalanceInSmsPackage|ResourceUnavailable)/;

/** Pulls of delivery receipts in one collection at most, of `PULL_LIMIT` each (the API's most). */
const PULLS_PER_COLLECTION = 10;
const PULL_LIMIT = 100;

/** PullSmsSendStatus's answer, as far as a receipt needs it; `Description` carries the carrier's code. */
const pullReply = z.object({
	Response: z.object({
		Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
		PullSmsSendStatusSet: z
			.array(
				z.object({
					SerialNo: z.string(),
					PhoneNumber: z.string(),
					ReportStatus: z.string(),
					Description: z.string().optional(),
					// Unix seconds in API 2021-01-11; a China time in the older one.
					UserReceiveTime: z.union([z.number(), z.string()]).optional()
				})
			)
			.optional()
	})
});

const receivedAt = (time: number | string | undefined) =>
	typeof time === 'number' ? new Date(time * 1000) : (chinaTime(time) ?? new Date());

/** SMS through Tencent Cloud SMS (SendSms and PullSmsSendStatus, API version 2021-01-11). */
export class TencentSms implements Transport {
	readonly name = 'tencent';
	readonly #endpoint: URL;
	readonly #secretId: string;
	readonly #secretKey: Secret;
	readonly #appId: string;
	readonly #region: string;

	constructor(options: { endpoint?: string; secretId: string; secretKey: Secret; appId: string; region: string }) {
		this.#endpoint = new URL(options.endpoint ?? 'https://sms.tencentcloudapi.com/');
		this.#secretId = options.secretId;
		this.#secretKey = options.secretKey;
		this.#appId = options.appId;
		this.#region = options.region;
	}

	/** The body and headers of a signed SendSms request (exposed for the tests, with a fixed time). */
	signedRequest(message: OutgoingMessage, now = new Date()): { body: string; headers: Record<string, string> } {
		return this.#signed('SendSms', this.#sendSms(message), now);
	}

	#sendSms(message: OutgoingMessage): object {
		if (!message.templateCode)
			throw new ProviderError('NO_TEMPLATE', 'no Tencent template is configured for this kind', false);
		return {
			PhoneNumberSet: [`+86${message.to}`],
			SmsSdkAppId: this.#appId,
			SignName: message.signName,
			TemplateId: message.templateCode,
			TemplateParamSet: message.params.map(([, value]) => value),
			SessionContext: message.id
		};
	}

	/** The body and headers of an action's request, signed. */
	#signed(action: string, payload: object, now = new Date()): { body: string; headers: Record<string, string> } {
		const body = JSON.stringify(payload);
		const timestamp = Math.floor(now.getTime() / 1000);
		const { authorization } = tc3Authorization({
			secretId: this.#secretId,
			secretKey: this.#secretKey.reveal(),
			service: 'sms',
			host: this.#endpoint.host,
			timestamp,
			payload: body,
			action
		});
		return {
			body,
			headers: {
				authorization,
				'content-type': TC3_CONTENT_TYPE,
				'x-tc-action': action,
				'x-tc-timestamp': String(timestamp),
				'x-tc-version': '2021-01-11',
				'x-tc-region': this.#region
			}
		};
	}

	async #post(action: string, payload: object): Promise<unknown> {
		const { body, headers } = this.#signed(action, payload);
		const reply = await postToProvider(this.#endpoint.href, { headers, body });
		const error = (reply.body as { Response?: TencentReply }).Response?.Error;
		if (error) throw new ProviderError(error.Code, error.Message, RETRYABLE.test(error.Code));
		return reply.body;
	}

	async send(message: OutgoingMessage): Promise<SendResult> {
		const reply = ((await this.#post('SendSms', this.#sendSms(message))) as { Response?: TencentReply }).Response ?? {};
		const status = reply.SendStatusSet?.[0];
		if (!status) throw new ProviderError('UNKNOWN', 'no SendStatusSet in the reply', true);
		if (status.Code !== 'Ok') throw new ProviderError(status.Code, status.Message, RETRYABLE.test(status.Code));
		return { provider: this.name, messageId: status.SerialNo ?? null, delivered: false };
	}

	/**
	 * Pulls the application's delivery receipts until none are left, at most `PULLS_PER_COLLECTION`
	 * times (the rest wait for the next collection). They are of all its messages, not only of those
	 * awaited. Each is handed out once, so a pull that fails after others does not lose what they brought.
	 */
	async receipts(): Promise<DeliveryReceipt[]> {
		const receipts: DeliveryReceipt[] = [];
		for (let pull = 0; pull < PULLS_PER_COLLECTION; pull++) {
			let set: z.infer<typeof pullReply>['Response']['PullSmsSendStatusSet'];
			try {
				const reply = pullReply.safeParse(
					await this.#post('PullSmsSendStatus', { SmsSdkAppId: this.#appId, Limit: PULL_LIMIT })
				);
				if (!reply.success) throw new ProviderError('UNKNOWN', 'PullSmsSendStatus: an answer not as documented', true);
				set = reply.data.Response.PullSmsSendStatusSet ?? [];
			} catch (error) {
				if (!receipts.length) throw error;
				break;
			}
			for (const report of set) {
				const delivered = report.ReportStatus === 'SUCCESS';
				receipts.push({
					messageId: report.SerialNo,
					to: report.PhoneNumber.replace(/^\+86/, ''),
					delivered,
					code: report.Description || (delivered ? 'DELIVRD' : 'UNKNOWN'),
					at: receivedAt(report.UserReceiveTime)
				});
			}
			if (set.length < PULL_LIMIT) break;
		}
		return receipts;
	}
}

type TencentReply = {
	Error?: { Code: string; Message: string };
	SendStatusSet?: { SerialNo?: string; Code: string; Message: string; PhoneNumber: string }[];
	RequestId?: string;
};
