import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { Secret } from '../secret.ts';
import { AliyunSms, aliyunRpcSignature } from './aliyun-sms.ts';
import { tc3Authorization, TencentSms } from './tencent-sms.ts';
import type { OutgoingMessage } from './transport.ts';

/*
 * The providers' own worked examples, pinned. Each signer must reproduce the signature the
 * provider's documentation prints for its example request.
 */

describe("Aliyun's RPC signature (HMAC-SHA1)", () => {
	// Aliyun's "RPC 签名机制" / ECS "签名机制" document: DescribeRegions with AccessKeyId testid and
	// AccessKey secret testsecret (so the HMAC key is "testsecret&"), nonce and time as printed there.
	const example = {
		AccessKeyId: 'testid',
		Action: 'DescribeRegions',
		Format: 'XML',
		SignatureMethod: 'HMAC-SHA1',
		SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
		SignatureVersion: '1.0',
		Version: '2014-05-26'
	};

	test('reproduces the documented signature of the DescribeRegions example', () => {
		// The ECS document's example spells the parameter TimeStamp; its signature is CT9X0VtwR86fNWSnsc6v8YGOjuE=.
		expect(aliyunRpcSignature('GET', { ...example, TimeStamp: '2016-02-23T12:46:24Z' }, 'testsecret')).toBe(
			'CT9X0VtwR86fNWSnsc6v8YGOjuE='
		);
		// The RPC document's version of it, with the usual Timestamp: OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
		expect(aliyunRpcSignature('GET', { ...example, Timestamp: '2016-02-23T12:46:24Z' }, 'testsecret')).toBe(
			'OLeaidS1JvxuMvnyHOwuJ+uX5qY='
		);
	});

	test('a SendSms form carries the template, its variables and a signature over all of them', () => {
		const sms = new AliyunSms({
			accessKeyId: 'testid',
			accessKeySecret: new Secret('testsecret'),
			region: 'cn-hangzhou'
		});
		const form = sms.signedForm(message, 'nonce-1', new Date('2026-12-06T02:00:00.123Z'));
		const { Signature, ...signed } = form;
		expect(signed).toMatchObject({
			Action: 'SendSms',
			Version: '2017-05-25',
			PhoneNumbers: '13800138000',
			SignName: '桃源镇人民调解委员会',
			TemplateCode: 'SMS_123456789',
			TemplateParam: '{"caseNumber":"2026-TYZ-000001","link":"https://t.example/track/abc"}',
			Timestamp: '2026-12-06T02:00:00Z'
		});
		expect(Signature).toBe(aliyunRpcSignature('POST', signed, 'testsecret'));
		// Changing anything signed changes the signature.
		expect(aliyunRpcSignature('POST', { ...signed, PhoneNumbers: '13800138001' }, 'testsecret')).not.toBe(Signature);
	});

	test("a QuerySendDetails form asks for one message by its BizId, under the day it was sent in China's time", () => {
		const sms = new AliyunSms({
			accessKeyId: 'testid',
			accessKeySecret: new Secret('testsecret'),
			region: 'cn-hangzhou'
		});
		// 01:00 on the 7th in Beijing is still the 6th in UTC: Aliyun files the message under the 7th.
		const sent = { messageId: '900619746936498440^0', to: '13800138000', sentAt: new Date('2026-12-06T17:00:00Z') };
		const { Signature, ...signed } = sms.receiptForm(sent, 'nonce-2', new Date('2026-12-06T18:00:00Z'));
		expect(signed).toMatchObject({
			Action: 'QuerySendDetails',
			Version: '2017-05-25',
			PhoneNumber: '13800138000',
			BizId: '900619746936498440^0',
			SendDate: '20261207',
			PageSize: '10',
			CurrentPage: '1'
		});
		expect(Signature).toBe(aliyunRpcSignature('POST', signed, 'testsecret'));
	});
});

describe("Tencent Cloud's signature v3 (TC3-HMAC-SHA256)", () => {
	// Tencent Cloud API 3.0 "签名方法 v3" document: CVM DescribeInstances at 1551113065 with the
	// example key Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, signing content-type and host.
	const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';

	test('reproduces every published step of the DescribeInstances example', () => {
		const signed = tc3Authorization({
			secretId: 'AKID**********************0123456789EXAMPLE',
			secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
			service: 'cvm',
			host: 'cvm.tencentcloudapi.com',
			timestamp: 1551113065,
			payload
		});
		expect(createHash('sha256').update(payload).digest('hex')).toBe(
			'35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064'
		);
		expect(signed.canonicalRequest).toBe(
			'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064'
		);
		expect(signed.stringToSign).toBe(
			'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031'
		);
		expect(signed.authorization).toBe(
			'TC3-HMAC-SHA256 Credential=AKID**********************0123456789EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168'
		);
	});

	test('the date of the credential scope is the UTC date of the timestamp, not the local one', () => {
		// 2019-02-26 00:44:25 in Beijing is still the 25th in UTC (the document's own warning).
		expect(
			tc3Authorization({
				secretId: 'id',
				secretKey: 'k',
				service: 'sms',
				host: 'h',
				timestamp: 1551113065,
				payload: ''
			}).stringToSign
		).toContain('2019-02-25/sms/tc3_request');
	});

	test('a SendSms request signs x-tc-action too and numbers the template variables in order', () => {
		const sms = new TencentSms({
			secretId: 'AKIDtest',
			secretKey: new Secret('key'),
			appId: '1400000000',
			region: 'ap-guangzhou'
		});
		const { body, headers } = sms.signedRequest(message, new Date(1551113065_000));
		expect(JSON.parse(body)).toEqual({
			PhoneNumberSet: ['+8613800138000'],
			SmsSdkAppId: '1400000000',
			SignName: '桃源镇人民调解委员会',
			TemplateId: 'SMS_123456789',
			TemplateParamSet: ['2026-TYZ-000001', 'https://t.example/track/abc'],
			SessionContext: message.id
		});
		expect(headers['x-tc-timestamp']).toBe('1551113065');
		expect(headers.authorization).toMatch(
			/^TC3-HMAC-SHA256 Credential=AKIDtest\/2019-02-25\/sms\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$/
		);
	});
});

const message: OutgoingMessage = {
	id: '0b7e6c8a-3f1d-4b8e-9a51-2c4d6e8f0a1b',
	to: '13800138000',
	signName: '桃源镇人民调解委员会',
	text: '您的调解申请已收到',
	subject: '通知',
	templateCode: 'SMS_123456789',
	params: [
		['caseNumber', '2026-TYZ-000001'],
		['link', 'https://t.example/track/abc']
	]
};
