import { describe, expect, test } from 'vitest';
import {
	NOTIFICATION_KINDS,
	NOTIFICATION_KIND_NAMES,
	mainlandMobile,
	renderNotification,
	smsAllowedAt,
	smsSignature
} from './notifications.ts';

/** An instant given as a China wall-clock time (UTC+8). */
const china = (local: string) => new Date(`${local}+08:00`);

describe('quiet hours', () => {
	test('SMS go out by day and wait through the night until 08:00', () => {
		expect(smsAllowedAt(china('2026-12-06T20:59'))).toEqual(china('2026-12-06T20:59'));
		expect(smsAllowedAt(china('2026-12-06T21:00'))).toEqual(china('2026-12-07T08:00'));
		expect(smsAllowedAt(china('2026-12-06T23:30'))).toEqual(china('2026-12-07T08:00'));
		expect(smsAllowedAt(china('2026-12-07T03:00'))).toEqual(china('2026-12-07T08:00'));
		expect(smsAllowedAt(china('2026-12-07T07:59'))).toEqual(china('2026-12-07T08:00'));
		expect(smsAllowedAt(china('2026-12-07T08:00'))).toEqual(china('2026-12-07T08:00'));
	});

	test('a meeting within the hour lets its message through the night', () => {
		expect(smsAllowedAt(china('2026-12-06T22:10'), china('2026-12-06T23:00'))).toEqual(china('2026-12-06T22:10'));
		// Not yet within the hour: it waits until the hour before the meeting, not until morning.
		expect(smsAllowedAt(china('2026-12-07T05:00'), china('2026-12-07T07:30'))).toEqual(china('2026-12-07T06:30'));
		// A meeting in the morning after 09:00 does not: 08:00 is soon enough.
		expect(smsAllowedAt(china('2026-12-06T22:00'), china('2026-12-07T10:00'))).toEqual(china('2026-12-07T08:00'));
		// A meeting already past lets nothing through.
		expect(smsAllowedAt(china('2026-12-06T22:00'), china('2026-12-06T21:30'))).toEqual(china('2026-12-07T08:00'));
	});
});

describe('mainland mobile numbers', () => {
	test('as people write them, with or without +86, spaces or dashes', () => {
		expect(mainlandMobile('13800138000')).toBe('13800138000');
		expect(mainlandMobile('+86 138-0013-8000')).toBe('13800138000');
		expect(mainlandMobile('008613800138000')).toBe('13800138000');
	});

	test('landlines, short numbers and foreign numbers are not', () => {
		for (const other of ['0571-87654321', '1380013800', '12800138000', '+85291234567', '', null]) {
			expect(mainlandMobile(other)).toBeNull();
		}
	});
});

describe('the kinds of message', () => {
	test('every text names only variables of its template, in both languages', () => {
		for (const kind of NOTIFICATION_KIND_NAMES) {
			const spec = NOTIFICATION_KINDS[kind];
			for (const text of Object.values(spec.texts)) {
				const used = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
				expect(used, kind).toEqual([...spec.params].sort());
			}
		}
	});

	test('a Chinese text with its signature and typical values fits in two SMS (134 characters)', () => {
		const values: Record<string, string> = {
			caseNumber: '2026-TYZ-000123',
			link: `https://tiaojie.taoyuan.gov.cn/track/${'x'.repeat(32)}`,
			pin: '123456',
			time: '12月16日 14:30',
			previousTime: '12月15日 09:00',
			where: '请用邀请短信中的链接进入',
			date: '2027-01-31',
			item: '支付修缮费3000元',
			title: '同一当事人反复纠纷'
		};
		for (const kind of NOTIFICATION_KIND_NAMES) {
			const text = smsSignature('桃源镇人民调解委员会') + renderNotification(kind, 'zh-CN', values);
			expect(text.length, `${kind}: ${text}`).toBeLessThanOrEqual(134);
		}
	});
});
