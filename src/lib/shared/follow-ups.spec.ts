import { describe, expect, it } from 'vitest';
import {
	addDays,
	dayOf,
	daysBetween,
	DUE_SOON_DAYS,
	followUpAnswerSchema,
	followUpRecordSchema,
	followUpState,
	openToAnswers
} from './follow-ups.ts';

const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
	Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));

describe('follow-up days', () => {
	it('counts calendar days across months and years, in China', () => {
		expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(daysBetween('2026-12-31', '2027-01-02')).toBe(2);
		expect(daysBetween('2027-01-02', '2026-12-31')).toBe(-2);
		// 16:30 UTC is half past midnight of the next day in China.
		expect(dayOf(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07');
	});

	it('a follow-up is upcoming, due within the week ahead, overdue after its day, recorded once made', () => {
		const due = '2027-01-10';
		expect(followUpState(due, false, addDays(due, -DUE_SOON_DAYS - 1))).toBe('upcoming');
		expect(followUpState(due, false, addDays(due, -DUE_SOON_DAYS))).toBe('due');
		expect(followUpState(due, false, due)).toBe('due');
		expect(followUpState(due, false, addDays(due, 1))).toBe('overdue');
		expect(followUpState(due, true, addDays(due, 9))).toBe('recorded');
		expect(['upcoming', 'due', 'overdue', 'recorded'].map((s) => openToAnswers(s as never))).toEqual([
			false,
			true,
			true,
			false
		]);
	});
});

describe('a follow-up record', () => {
	const record = {
		caseId: '7f3c2a5e-4b1d-4c8e-9a6f-2d3e4f5a6b7c',
		partyIds: ['1f3c2a5e-4b1d-4c8e-9a6f-2d3e4f5a6b7c'],
		method: 'phone',
		visitedOn: '2026-12-06',
		performance: 'fully',
		satisfaction: '5',
		lawsuit: 'no',
		password: 'x'
	};

	it('asks for the place of a visit in person, the lawsuit when there was one, a next visit after this one', () => {
		expect(followUpRecordSchema.safeParse(record).success).toBe(true);
		expect(
			errorsOf(
				followUpRecordSchema.safeParse({ ...record, method: 'in_person', lawsuit: 'yes', nextDueOn: '2026-12-06' })
			)
		).toEqual({ place: 'required', lawsuitNote: 'required', nextDueOn: 'in_past' });
		expect(errorsOf(followUpRecordSchema.safeParse({ ...record, nextDueOn: '2028-12-06' }))).toEqual({
			nextDueOn: 'invalid'
		});
		expect(followUpRecordSchema.parse({ ...record, nextDueOn: '', risks: '  ' })).toMatchObject({
			nextDueOn: undefined,
			risks: undefined,
			lawsuit: false,
			satisfaction: 5
		});
	});

	it("caps the party's answer and reads its yes/no", () => {
		expect(followUpAnswerSchema.parse({ performance: 'not', satisfaction: '1', stillInDispute: 'yes' })).toEqual({
			performance: 'not',
			satisfaction: 1,
			stillInDispute: true,
			comment: undefined
		});
		expect(
			errorsOf(
				followUpAnswerSchema.safeParse({
					performance: 'fully',
					satisfaction: '3',
					stillInDispute: 'no',
					comment: '字'.repeat(501)
				})
			)
		).toEqual({ comment: 'too_long' });
	});
});
