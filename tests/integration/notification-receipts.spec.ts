import { afterAll, describe, expect } from 'vitest';
import { applyOnline } from '#server/cases/apply-online.ts';
import { notifications } from '#server/db/schema.ts';
import { RECEIPT_BATCH } from '#server/notifications/collect-receipts.ts';
import { listCaseNotifications, listFailedNotifications } from '#server/notifications/list-notifications.ts';
import { resendNotification } from '#server/notifications/resend-notification.ts';
import type { App } from '#server/app.ts';
import { intakeForm, type Network } from '../support/case-network.ts';
import { CLIENT } from '../support/integration-test.ts';
import { messagesOf, queueSettled, test, type NotificationRow } from '../support/notifications.ts';
import { aliyunServer, tencentServer } from '../support/sms-servers.ts';

/*
 * Delivery receipts: the collection that asks the SMS provider what became of the messages it took
 * (Aliyun QuerySendDetails, Tencent PullSmsSendStatus), run here directly, against local providers
 * whose receipts each test scripts. Its every-minute schedule is off (SMS_RECEIPTS=off) where the
 * tests count the provider's requests, so that a collection of the schedule's does not add to them.
 */

const aliyun = await aliyunServer({ LTAItestkey: 'aliyun-secret' });
const tencent = await tencentServer({ AKIDtestkey: 'tencent-secret' });

afterAll(async () => {
	await Promise.all([aliyun.close(), tencent.close()]);
});

const ALIYUN = {
	SMS_PROVIDER: 'aliyun',
	SMS_ENDPOINT: aliyun.url,
	ALIYUN_ACCESS_KEY_ID: 'LTAItestkey',
	ALIYUN_ACCESS_KEY_SECRET: 'aliyun-secret',
	SMS_TEMPLATES: 'application_received=SMS_480001'
};
const TENCENT = {
	SMS_PROVIDER: 'tencent',
	SMS_ENDPOINT: tencent.url,
	TENCENT_SECRET_ID: 'AKIDtestkey',
	TENCENT_SECRET_KEY: 'tencent-secret',
	TENCENT_SMS_APP_ID: '1400000001',
	SMS_TEMPLATES: 'application_received=SMS_480001'
};

/** Applies online and returns the case and its SMS to the applicant, sent. */
async function sentApplication(app: App, network: Network) {
	const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
	const [message] = await queueSettled(app, caseId);
	expect(message).toMatchObject({ channel: 'sms', status: 'sent', receiptAt: null });
	return { caseId, message };
}

/** What a receipt may change of each message. */
const outcomes = (rows: NotificationRow[]) =>
	rows.map(({ id, status, errorCode, receiptAt }) => ({ id, status, errorCode, receiptAt }));

const countOf = (actions: string[], action: string) => actions.filter((a) => a === action).length;

describe('receipts from Aliyun (QuerySendDetails, message by message)', () => {
	test.override('appEnv', { ...ALIYUN, SMS_RECEIPTS: 'off' });

	test('a sent message stays sent while its carrier has not reported, and is delivered once it has', async ({
		app,
		network
	}) => {
		const { caseId, message } = await sentApplication(app, network);
		const asked = countOf(aliyun.actions, 'QuerySendDetails');

		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 0, undelivered: 0 });
		expect(countOf(aliyun.actions, 'QuerySendDetails')).toBe(asked + 1);
		expect((await messagesOf(app, caseId))[0]).toMatchObject({ status: 'sent', receiptAt: null });

		aliyun.receipts.set(message.providerMessageId!, { delivered: true, code: 'DELIVERED' });
		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 1, undelivered: 0 });
		const [delivered] = await messagesOf(app, caseId);
		expect(delivered).toMatchObject({ status: 'delivered', errorCode: null, sentAt: message.sentAt });
		expect(delivered.receiptAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(message.sentAt!.getTime() / 1000) * 1000);

		// Settled: not asked about again.
		await app.notifications.collectReceipts();
		expect(countOf(aliyun.actions, 'QuerySendDetails')).toBe(asked + 2);
		const [shown] = await listCaseNotifications(app.db, network.eastMediator, caseId);
		expect(shown).toMatchObject({ status: 'delivered', receiptAt: delivered.receiptAt });
		expect(aliyun.refused).toEqual([]);
	});

	test("a carrier's failure fails the message with its code, as not delivered though sent; it may be resent", async ({
		app,
		network
	}) => {
		const { caseId, message } = await sentApplication(app, network);
		aliyun.receipts.set(message.providerMessageId!, { delivered: false, code: 'MK:0001' });
		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 0, undelivered: 1 });

		const [failed] = await listCaseNotifications(app.db, network.eastMediator, caseId);
		expect(failed).toMatchObject({ status: 'failed', errorCode: 'MK:0001', sentAt: message.sentAt });
		expect(failed.receiptAt).toBeInstanceOf(Date);
		expect((await listFailedNotifications(app.db, network.admin)).map((m) => m.id)).toContain(message.id);

		await resendNotification(app, network.eastMediator, { notificationId: message.id }, null);
		const after = await queueSettled(app, caseId);
		expect(after.map((m) => m.status).sort()).toEqual(['failed', 'sent']);
		expect(after.find((m) => m.status === 'sent')).toMatchObject({ receiptAt: null, errorCode: null });
	});

	test('each collection asks a bounded batch, those asked longest ago first', async ({ app, network }) => {
		const { message } = await sentApplication(app, network);
		// More messages awaiting receipts than one collection asks about: copies of the one sent, under ids of their own.
		const { id: _id, idempotencyKey: _key, ...copy } = message;
		await app.db.insert(notifications).values(
			Array.from({ length: RECEIPT_BATCH + 4 }, (_, i) => ({
				...copy,
				idempotencyKey: `copy|${i}`,
				providerMessageId: `${message.providerMessageId}-copy-${i}`
			}))
		);
		aliyun.receipts.set(message.providerMessageId!, { delivered: true, code: 'DELIVERED' });
		const asked = countOf(aliyun.actions, 'QuerySendDetails');

		const first = await app.notifications.collectReceipts();
		expect(countOf(aliyun.actions, 'QuerySendDetails')).toBe(asked + RECEIPT_BATCH);
		expect((await messagesOf(app)).filter((m) => m.channel === 'sms' && m.receiptCheckedAt === null)).toHaveLength(5);
		// The next starts with the five not yet asked.
		const second = await app.notifications.collectReceipts();
		expect(countOf(aliyun.actions, 'QuerySendDetails')).toBe(asked + 2 * RECEIPT_BATCH);
		expect((await messagesOf(app)).filter((m) => m.channel === 'sms' && m.receiptCheckedAt === null)).toEqual([]);
		expect(first.delivered + second.delivered).toBe(1);
		expect((await messagesOf(app)).find((m) => m.id === message.id)).toMatchObject({ status: 'delivered' });
	});
});

describe('receipts from Tencent Cloud (PullSmsSendStatus, until none are left)', () => {
	test.override('appEnv', { ...TENCENT, SMS_RECEIPTS: 'off' });

	test('delivered and failed receipts settle their messages; one of an unknown message changes nothing', async ({
		app,
		network
	}) => {
		const first = await sentApplication(app, network);
		const second = await sentApplication(app, network);
		const before = outcomes(await messagesOf(app));
		tencent.receipts.set('2433:not-ours', { delivered: true, code: 'DELIVRD', to: '13700137000' });
		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 0, undelivered: 0 });
		expect(tencent.receipts.size).toBe(0);
		expect(outcomes(await messagesOf(app))).toEqual(before);

		tencent.receipts.set(first.message.providerMessageId!, { delivered: true, code: 'DELIVRD' });
		tencent.receipts.set(second.message.providerMessageId!, { delivered: false, code: 'UNDELIV' });
		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 1, undelivered: 1 });
		expect((await messagesOf(app, first.caseId))[0]).toMatchObject({ status: 'delivered', errorCode: null });
		expect((await messagesOf(app, second.caseId))[0]).toMatchObject({ status: 'failed', errorCode: 'UNDELIV' });

		// A receipt again for a settled message (or for the other number) changes nothing either.
		const settled = outcomes(await messagesOf(app));
		tencent.receipts.set(second.message.providerMessageId!, { delivered: true, code: 'DELIVRD' });
		await sentApplication(app, network);
		await app.notifications.collectReceipts();
		expect(outcomes(await messagesOf(app)).slice(0, settled.length)).toEqual(settled);
		expect(tencent.refused).toEqual([]);
	});

	test('pulls until none are left, at most ten times a collection; a failed pull changes nothing', async ({
		app,
		network
	}) => {
		const { caseId, message } = await sentApplication(app, network);
		for (let i = 0; i < 1050; i++) tencent.receipts.set(`2433:other-${i}`, { delivered: true, code: 'DELIVRD' });
		tencent.receipts.set(message.providerMessageId!, { delivered: true, code: 'DELIVRD' });
		const pulled = countOf(tencent.actions, 'PullSmsSendStatus');
		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 0, undelivered: 0 });
		expect(countOf(tencent.actions, 'PullSmsSendStatus')).toBe(pulled + 10);
		expect(tencent.receipts.size).toBe(51);

		tencent.script.push('InternalError.Timeout');
		await expect(app.notifications.collectReceipts()).rejects.toMatchObject({ code: 'InternalError.Timeout' });
		expect((await messagesOf(app, caseId))[0]).toMatchObject({ status: 'sent' });

		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 1, undelivered: 0 });
		expect(countOf(tencent.actions, 'PullSmsSendStatus')).toBe(pulled + 11);
		expect(tencent.receipts.size).toBe(0);
	});
});

describe('the schedule', () => {
	test.override('appEnv', TENCENT);

	test('collects receipts every minute from a provider that gives them', async ({ app }) => {
		expect(await app.notifications.queue.receiptSchedule()).toBe('* * * * *');
	});
});

describe('the schedule with SMS_RECEIPTS=off', () => {
	test.override('appEnv', { ...ALIYUN, SMS_RECEIPTS: 'off' });

	test('never asks the provider', async ({ app }) => {
		expect(await app.notifications.queue.receiptSchedule()).toBeNull();
	});
});

describe('the log provider', () => {
	test('counts its messages delivered when recorded, so nothing is scheduled to collect receipts', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const sms = (await queueSettled(app, caseId)).filter((m) => m.channel === 'sms');
		expect(sms.map((m) => m.status)).toEqual(['delivered']);
		expect(await app.notifications.queue.receiptSchedule()).toBeNull();
		expect(await app.notifications.collectReceipts()).toEqual({ delivered: 0, undelivered: 0 });
	});
});
