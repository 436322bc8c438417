import { afterEach, describe, expect, it } from 'vitest';
import { baseLocale, locales, overwriteGetLocale } from './paraglide/runtime';
import { timelineDetails } from './timeline-details';

const inEach = (event: Parameters<typeof timelineDetails>[0]) =>
	Object.fromEntries(
		locales.map((locale) => {
			overwriteGetLocale(() => locale);
			return [locale, timelineDetails(event, {})];
		})
	);

afterEach(() => overwriteGetLocale(() => baseLocale));

describe('timelineDetails of messages', () => {
	it('tells a message sent again by its kind and channel in words', () => {
		const data = { notificationId: 'n1', resentAs: 'n2', kind: 'meeting_reminder_24h', channel: 'sms' };
		expect(inEach({ action: 'notification.resent', data })).toEqual({
			'zh-CN': ['通知：会前24小时提醒（短信）'],
			en: ['Message: Reminder 24 h before (SMS)']
		});
	});

	it('tells which SMS reminders a party turned off, or that all are on again', () => {
		const off = inEach({
			action: 'notification.preferences_changed',
			data: { optOut: ['followup_survey', 'performance_due'] }
		});
		expect(off).toEqual({
			'zh-CN': ['不再接收：回访调查，履行期限提醒'],
			en: ['No longer sent: Follow-up survey, Performance due']
		});
		expect(inEach({ action: 'notification.preferences_changed', data: { optOut: [] } })).toEqual({
			'zh-CN': ['接收全部短信提醒'],
			en: ['All SMS reminders sent']
		});
	});
});
