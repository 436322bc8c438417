import { describe, expect, it } from 'vitest';
import {
	amountInCapitals,
	amountInFigures,
	canMove,
	PERFORMANCE_MOVES,
	PERFORMANCE_STATES,
	performanceItemSchema,
	performanceMoveSchema,
	type PerformanceMove,
	type PerformanceState
} from './performance.ts';

/** Written out by hand, apart from the table, so that a change to the moves has to be made here too. */
const ALLOWED: Record<PerformanceState, PerformanceMove[]> = {
	planned: ['report', 'confirm', 'waive'],
	reported: ['confirm', 'reject', 'waive'],
	confirmed: [],
	waived: []
};

describe('performance moves', () => {
	for (const state of PERFORMANCE_STATES) {
		it(`allows from ${state} exactly ${ALLOWED[state].join(', ') || 'nothing'}`, () => {
			const moves = (Object.keys(PERFORMANCE_MOVES) as PerformanceMove[]).filter((move) => canMove(state, move));
			expect(moves).toEqual(ALLOWED[state]);
		});
	}

	it('leaves the party only the report, and asks a reason to send back or waive', () => {
		expect(Object.entries(PERFORMANCE_MOVES).filter(([, move]) => move.by === 'party')).toEqual([
			['report', PERFORMANCE_MOVES.report]
		]);
		expect(PERFORMANCE_MOVES.reject.to).toBe('planned');
		expect(PERFORMANCE_MOVES.reject.reason && PERFORMANCE_MOVES.waive.reason).toBe(true);
		expect(PERFORMANCE_MOVES.confirm.reason).toBe(false);
	});
});

describe('amounts in capitals (大写)', () => {
	it.each([
		[0, '零元整'],
		[1_200_000, '壹万贰仟元整'],
		[15_000, '壹佰伍拾元整'],
		[350, '叁元伍角'],
		[10_205, '壹佰零贰元零伍分'],
		[5, '伍分'],
		[1_000_100, '壹万零壹元整'],
		[10_001_000_000, '壹亿零壹万元整'],
		[1_050_000, '壹万零伍佰元整'],
		[100_000_000_00, '壹亿元整'],
		[2_030_405_060_70, '贰拾亿叁仟零肆拾万伍仟零陆拾元柒角'],
		[9_999_999_999_999, '玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分']
	])('%d cents is %s', (cents, capitals) => {
		expect(amountInCapitals(cents)).toBe(capitals);
	});

	it('refuses what is not a whole number of cents', () => {
		expect(() => amountInCapitals(-1)).toThrow(RangeError);
		expect(() => amountInCapitals(1.5)).toThrow(RangeError);
	});

	it('writes figures with thousands and two decimals', () => {
		expect(amountInFigures(1_200_050)).toBe('12,000.50');
	});
});

describe('a plan item as the form sends it', () => {
	const base = {
		caseId: '00000000-0000-4000-8000-000000000001',
		kind: 'payment',
		description: '支付赔偿款',
		amount: '12,000.5',
		dueOn: '2026-12-31',
		place: '村委会',
		responsiblePartyId: '00000000-0000-4000-8000-000000000002'
	};

	it('reads yuan as cents', () => {
		expect(performanceItemSchema.parse(base).amount).toBe(1_200_050);
	});

	it.each([['abc'], ['-5'], ['0'], ['1.234'], ['100000000000']])('refuses the amount %s', (amount) => {
		const result = performanceItemSchema.safeParse({ ...base, amount });
		expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['amount', 'invalid']]);
	});

	it('asks a payment for its amount and refuses one on an act', () => {
		const unpaid = performanceItemSchema.safeParse({ ...base, amount: '' });
		expect(unpaid.error?.issues.map((issue) => issue.message)).toEqual(['required']);
		const act = performanceItemSchema.safeParse({ ...base, kind: 'act' });
		expect(act.error?.issues.map((issue) => issue.message)).toEqual(['invalid']);
	});

	it('asks a reason to send back or waive, not to confirm', () => {
		const ids = { caseId: base.caseId, itemId: base.responsiblePartyId };
		expect(performanceMoveSchema.safeParse({ ...ids, move: 'reject' }).success).toBe(false);
		expect(performanceMoveSchema.safeParse({ ...ids, move: 'waive', reason: ' ' }).success).toBe(false);
		expect(performanceMoveSchema.safeParse({ ...ids, move: 'confirm' }).success).toBe(true);
		expect(performanceMoveSchema.safeParse({ ...ids, move: 'report' }).success).toBe(false);
	});
});
