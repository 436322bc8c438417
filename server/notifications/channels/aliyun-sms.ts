import { createHmac, randomUUID } from 'node:crypto';
import type { Secret } from '../notification-config.ts';
import { postToProvider, ProviderError, type OutgoingMessage, type SendResult, type Transport } from './transport.ts';

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

/** SMS through Aliyun's Short Message Service (dysmsapi, SendSms, API version 2017-05-25). */
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
		const params: Record<string, string> = {
			AccessKeyId: this.#accessKeyId,
			Action: 'SendSms',
			Format: 'JSON',
			RegionId: this.#region,
			SignatureMethod: 'HMAC-SHA1',
			SignatureNonce: nonce,
			SignatureVersion: '1.0',
			Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
			Version: '2017-05-25',
			PhoneNumbers: message.to,
			SignName: message.signName,
			TemplateCode: message.templateCode,
			TemplateParam: JSON.stringify(Object.fromEntries(message.params)),
			OutId: message.id
		};
		return { ...params, Signature: aliyunRpcSignature('POST', params, this.#secret.reveal()) };
	}

	async send(message: OutgoingMessage): Promise<SendResult> {
		const { body } = await postToProvider(this.#endpoint, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(this.signedForm(message)).toString()
		});
		const reply = body as { Code?: string; Message?: string; BizId?: string };
		if (reply.Code !== 'OK') {
			const code = reply.Code ?? 'UNKNOWN';
			throw new ProviderError(code, reply.Message ?? '', RETRYABLE.test(code));
		}
		return { provider: this.name, messageId: reply.BizId ?? null, delivered: false };
	}
}
