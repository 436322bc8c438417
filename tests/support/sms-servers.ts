import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for Aliyun's and Tencent Cloud's SMS APIs. Each checks a request's signature
 * by its own reading of the provider's scheme (written apart from the app's signers, from the
 * providers' documents), refuses a wrong one as the provider does, and records what it accepted.
 * `script` answers the next requests with chosen error codes, as a provider under load would;
 * `receipts` are the carriers' reports the delivery-status actions give (Aliyun QuerySendDetails,
 * Tencent PullSmsSendStatus).
 */
export type ReceivedSms = {
	to: string;
	signName: string;
	template: string;
	params: string[];
	reference: string;
	/** The provider's id for it (Aliyun BizId, Tencent SerialNo). */
	messageId: string;
	at: number;
};

/** A carrier's report of one message: delivered or not, with the carrier's code; `to` for a message the server never took. */
export type ScriptedReceipt = { delivered: boolean; code: string; to?: string };

export type SmsServer = {
	url: string;
	received: ReceivedSms[];
	/** Refused requests and why (a bad signature, an unknown key). */
	refused: string[];
	/** The next answers: an error code each, in turn, before requests are accepted again. */
	script: string[];
	/** Milliseconds each request is held before its answer, as a slow network would. */
	delayMs: number;
	/** The receipts to give, by the provider's message id (Tencent hands each out once). */
	receipts: Map<string, ScriptedReceipt>;
	/** The actions asked for and accepted, in order. */
	actions: string[];
	close(): Promise<void>;
};

const encode = (value: string) =>
	encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

async function bodyOf(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function serve(
	handle: (request: IncomingMessage, body: string, server: SmsServer) => unknown
): Promise<SmsServer> {
	const state: SmsServer = {
		url: '',
		received: [],
		refused: [],
		script: [],
		delayMs: 0,
		receipts: new Map(),
		actions: [],
		close: () => new Promise<void>((resolve) => http.close(() => resolve()))
	};
	const http: Server = createServer(async (request, response) => {
		const body = await bodyOf(request);
		if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
		const reply = handle(request, body, state);
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify(reply));
	});
	// Node's default keep-alive (5 s) lets a sender keep its connection from one message to the next,
	// as the providers' APIs do: a hint of 1 s or less makes fetch (undici) close it after each request.
	http.keepAliveTimeout = 5000;
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
	return state;
}

/** Aliyun dysmsapi SendSms: a form POST signed by the RPC scheme (HMAC-SHA1 over `POST&%2F&` + the sorted query). */
export function aliyunServer(keys: Record<string, string>): Promise<SmsServer> {
	return serve((request, body, state) => {
		const form = Object.fromEntries(new URLSearchParams(body));
		const { Signature, ...rest } = form;
		const secret = keys[rest.AccessKeyId];
		if (!secret) {
			state.refused.push('InvalidAccessKeyId.NotFound');
			return { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' };
		}
		const query = Object.keys(rest)
			.sort()
			.map((key) => `${encode(key)}=${encode(rest[key])}`)
			.join('&');
		const expected = createHmac('sha1', `${secret}&`)
			.update(`${request.method}&${encode('/')}&${encode(query)}`)
			.digest('base64');
		if (Signature !== expected) {
			state.refused.push('SignatureDoesNotMatch');
			return { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' };
		}
		const scripted = state.script.shift();
		if (scripted) return { Code: scripted, Message: 'scripted', RequestId: randomUUID() };
		state.actions.push(rest.Action);
		if (rest.Action === 'QuerySendDetails') return aliyunSendDetails(rest, state);
		const params = JSON.parse(rest.TemplateParam ?? '{}') as Record<string, string>;
		const messageId = `${Date.now()}^${state.received.length + 1}`;
		state.received.push({
			to: rest.PhoneNumbers,
			signName: rest.SignName,
			template: rest.TemplateCode,
			params: Object.values(params),
			reference: rest.OutId,
			messageId,
			at: Date.now()
		});
		return { Code: 'OK', Message: 'OK', BizId: messageId, RequestId: randomUUID() };
	});
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as both providers print times. */
const chinaClock = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

/**
 * QuerySendDetails: the record of the message sent to PhoneNumber on SendDate (China's day) with that
 * BizId, or none (a wrong number or day finds nothing, as at Aliyun); waiting (1) until a receipt is scripted.
 */
function aliyunSendDetails(form: Record<string, string>, state: SmsServer) {
	const pageSize = Number(form.PageSize);
	if (!/^\d{8}$/.test(form.SendDate ?? '') || !(pageSize >= 1 && pageSize <= 50) || !form.PhoneNumber) {
		return { Code: 'isv.InvalidParameter', Message: 'PhoneNumber, SendDate yyyyMMdd and PageSize 1-50 are required' };
	}
	const sent = state.received.find(
		(sms) =>
			sms.messageId === form.BizId &&
			sms.to === form.PhoneNumber &&
			chinaClock(sms.at).slice(0, 10).replaceAll('-', '') === form.SendDate
	);
	const receipt = sent && state.receipts.get(sent.messageId);
	const details = sent
		? [
				{
					PhoneNum: sent.to,
					SendStatus: receipt ? (receipt.delivered ? 3 : 2) : 1,
					ErrCode: receipt?.code ?? '',
					TemplateCode: sent.template,
					OutId: sent.reference,
					SendDate: chinaClock(sent.at),
					...(receipt ? { ReceiveDate: chinaClock(Date.now()) } : {})
				}
			]
		: [];
	return {
		Code: 'OK',
		Message: 'OK',
		RequestId: randomUUID(),
		TotalCount: details.length,
		SmsSendDetailDTOs: { SmsSendDetailDTO: details }
	};
}

/** Tencent Cloud SMS SendSms (2021-01-11): a JSON POST signed by TC3-HMAC-SHA256 in its Authorization header. */
export function tencentServer(keys: Record<string, string>): Promise<SmsServer> {
	const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
	const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
	return serve((request, body, state) => {
		const refuse = (code: string, message: string) => {
			state.refused.push(code);
			return { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } };
		};
		const match =
			/^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/(\w+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
				request.headers.authorization ?? ''
			);
		if (!match) return refuse('AuthFailure.SignatureFailure', 'malformed Authorization');
		const [, secretId, date, service, signedHeaders, signature] = match;
		const secret = keys[secretId];
		if (!secret) return refuse('AuthFailure.SecretIdNotFound', 'unknown SecretId');
		const timestamp = Number(request.headers['x-tc-timestamp']);
		if (Math.abs(Date.now() / 1000 - timestamp) > 300)
			return refuse('AuthFailure.SignatureExpire', 'timestamp too far');
		if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date)
			return refuse('AuthFailure.SignatureFailure', 'date');
		const headers = signedHeaders
			.split(';')
			.map(
				(name) =>
					`${name}:${String(request.headers[name] ?? '')
						.trim()
						.toLowerCase()}\n`
			)
			.join('');
		const canonical = `POST\n/\n\n${headers}\n${signedHeaders}\n${sha256(body)}`;
		const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
		const key = hmac(hmac(hmac(`TC3${secret}`, date), service), 'tc3_request');
		if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) {
			return refuse('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
		}
		const action = String(request.headers['x-tc-action'] ?? '');
		if (action === 'PullSmsSendStatus') {
			const scripted = state.script.shift();
			if (scripted) return refuse(scripted, 'scripted');
			state.actions.push(action);
			return tencentPull(JSON.parse(body) as { SmsSdkAppId?: string; Limit?: number }, state);
		}
		const sms = JSON.parse(body) as {
			PhoneNumberSet: string[];
			SignName: string;
			TemplateId: string;
			TemplateParamSet: string[];
			SessionContext: string;
		};
		const scripted = state.script.shift();
		if (scripted?.startsWith('InternalError')) return refuse(scripted, 'scripted');
		const to = sms.PhoneNumberSet[0];
		if (scripted) {
			return {
				Response: { SendStatusSet: [{ PhoneNumber: to, Code: scripted, Message: 'scripted' }], RequestId: randomUUID() }
			};
		}
		state.actions.push(action);
		const messageId = `2433:${Date.now()}${state.received.length + 1}`;
		state.received.push({
			to: to.replace(/^\+86/, ''),
			signName: sms.SignName,
			template: sms.TemplateId,
			params: sms.TemplateParamSet,
			reference: sms.SessionContext,
			messageId,
			at: Date.now()
		});
		return {
			Response: {
				SendStatusSet: [{ SerialNo: messageId, PhoneNumber: to, Code: 'Ok', Message: 'send success' }],
				RequestId: randomUUID()
			}
		};
	});
}

/** PullSmsSendStatus: up to Limit (at most 100) of the scripted receipts, each handed out once. */
function tencentPull(request: { SmsSdkAppId?: string; Limit?: number }, state: SmsServer) {
	const limit = request.Limit ?? 0;
	if (!request.SmsSdkAppId || !Number.isInteger(limit) || limit < 1 || limit > 100) {
		return {
			Response: {
				Error: { Code: 'InvalidParameterValue', Message: 'SmsSdkAppId and Limit 1-100 are required' },
				RequestId: randomUUID()
			}
		};
	}
	const set = [...state.receipts].slice(0, limit).map(([serial, receipt]) => {
		state.receipts.delete(serial);
		const sent = state.received.find((sms) => sms.messageId === serial);
		const to = receipt.to ?? sent?.to ?? '13900000000';
		return {
			SerialNo: serial,
			PhoneNumber: `+86${to}`,
			CountryCode: '86',
			SubscriberNumber: to,
			ReportStatus: receipt.delivered ? 'SUCCESS' : 'FAIL',
			Description: receipt.code,
			UserReceiveTime: Math.floor(Date.now() / 1000),
			SessionContext: sent?.reference ?? ''
		};
	});
	return { Response: { PullSmsSendStatusSet: set, RequestId: randomUUID() } };
}
