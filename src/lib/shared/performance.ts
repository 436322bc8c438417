import { z } from 'zod';

/**
 * Performance of the agreement (履行): the mediator turns the agreed terms into items, each an
 * amount to pay or an act to do, with its due day, place and the party responsible. Parties say
 * an item is done (with proof), the mediator confirms it; once every item is confirmed or waived
 * the agreement is performed (履行完毕).
 */
export const PERFORMANCE_ITEM_KINDS = ['payment', 'act'] as const;
export type PerformanceItemKind = (typeof PERFORMANCE_ITEM_KINDS)[number];

export const PERFORMANCE_STATES = ['planned', 'reported', 'confirmed', 'waived'] as const;
export type PerformanceState = (typeof PERFORMANCE_STATES)[number];

/** States that end an item: nothing more is owed. */
export const SETTLED_STATES: readonly PerformanceState[] = ['confirmed', 'waived'];

/**
 * The moves of an item: from which states, to which, and who makes them. A party says it is done
 * (with proof or a note); a mediator of the case confirms it (also directly, paid in the office),
 * sends a report back (with a reason the party reads), or records that the parties agreed to
 * waive it (with a reason). The server refuses anything else.
 */
export const PERFORMANCE_MOVES = {
	report: { from: ['planned'], to: 'reported', by: 'party', reason: false },
	confirm: { from: ['planned', 'reported'], to: 'confirmed', by: 'mediator', reason: false },
	reject: { from: ['reported'], to: 'planned', by: 'mediator', reason: true },
	waive: { from: ['planned', 'reported'], to: 'waived', by: 'mediator', reason: true }
} as const satisfies Record<
	string,
	{ from: readonly PerformanceState[]; to: PerformanceState; by: 'party' | 'mediator'; reason: boolean }
>;
export type PerformanceMove = keyof typeof PERFORMANCE_MOVES;
export const MEDIATOR_MOVES = ['confirm', 'reject', 'waive'] as const satisfies readonly PerformanceMove[];

export function canMove(state: PerformanceState, move: PerformanceMove): boolean {
	return (PERFORMANCE_MOVES[move].from as readonly PerformanceState[]).includes(state);
}

/** Items of one plan, at most: instalments over years still fit. */
export const MAX_PERFORMANCE_ITEMS = 60;
/** Proof files of one item, at most, whoever uploaded them. */
export const MAX_PROOFS_PER_ITEM = 6;
/** Proof files sent in one form. */
export const MAX_PROOFS_PER_UPLOAD = 3;
export const PROOF_MAX_BYTES = 10 * 1024 * 1024;
/** Receipts and transfer screenshots: photos and PDFs, judged by their content. */
export const PROOF_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
/** An item counts as due soon this many days before its day. */
export const DUE_SOON_DAYS = 3;
/** The largest amount an item may hold: 99,999,999,999.99 yuan keeps cents exact and capitals short. */
const MAX_AMOUNT_CENTS = 9_999_999_999_999;

export const PERFORMANCE_LIMITS = { description: 500, place: 200, note: 500, reason: 500 } as const;

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

/** A whole number of yuan in capital numerals, zeros read once: 10001 → 壹万零壹. */
function yuanInCapitals(yuan: string): string {
	let out = '';
	let zero = false;
	for (let i = 0; i < yuan.length; i++) {
		const digit = Number(yuan[i]);
		const position = yuan.length - 1 - i;
		if (digit === 0) zero = true;
		else {
			if (zero) out += '零';
			zero = false;
			out += DIGITS[digit] + UNITS[position % 4];
		}
		if (position % 4 === 0 && position > 0) {
			const group = yuan.slice(Math.max(0, i - 3), i + 1);
			// A group's own trailing zeros say nothing once its unit is written: 贰拾亿叁仟万.
			if (/[1-9]/.test(group)) {
				out += GROUPS[position / 4];
				zero = false;
			}
		}
	}
	return out;
}

/**
 * An amount in cents as the capitals (大写) a receipt or an agreement writes beside the figures:
 * 1200000 → 壹万贰仟元整, 350 → 叁元伍角, 10205 → 壹佰零贰元零伍分.
 */
export function amountInCapitals(cents: number): string {
	if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError('amount');
	const yuan = Math.floor(cents / 100);
	const jiao = Math.floor(cents / 10) % 10;
	const fen = cents % 10;
	if (cents === 0) return '零元整';
	const whole = yuan > 0 ? `${yuanInCapitals(String(yuan))}元` : '';
	if (jiao === 0 && fen === 0) return `${whole}整`;
	const jiaoPart = jiao > 0 ? `${DIGITS[jiao]}角` : yuan > 0 ? '零' : '';
	return `${whole}${jiaoPart}${fen > 0 ? `${DIGITS[fen]}分` : ''}`;
}

/** Cents as figures: 1200050 → 12,000.50. */
export function amountInFigures(cents: number): string {
	return (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const id = z.uuid('invalid');
const text = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.optional()
		.transform((value) => value || null);

/** Yuan as typed (`12000`, `12,000.5`), in cents; null when it does not read as an amount this app takes. */
export function centsOf(typed: string): number | null {
	const plain = typed.replaceAll(/[,，\s]/g, '');
	if (!/^\d{1,11}(\.\d{1,2})?$/.test(plain)) return null;
	const [yuan, fraction = ''] = plain.split('.');
	const cents = Number(yuan) * 100 + Number(fraction.padEnd(2, '0'));
	return cents > 0 && cents <= MAX_AMOUNT_CENTS ? cents : null;
}

/** The amount field: empty is no amount. */
const amount = z
	.string()
	.trim()
	.optional()
	.transform((value, context) => {
		if (!value) return null;
		const cents = centsOf(value);
		if (cents === null) {
			context.addIssue({ code: 'custom', message: 'invalid' });
			return z.NEVER;
		}
		return cents;
	});

export const performanceItemSchema = z
	.object({
		caseId: id,
		kind: z.enum(PERFORMANCE_ITEM_KINDS, { error: (issue) => (issue.input ? 'invalid' : 'required') }),
		description: text(PERFORMANCE_LIMITS.description),
		amount,
		dueOn: z.iso.date({ error: (issue) => (issue.input ? 'invalid' : 'required') }),
		place: text(PERFORMANCE_LIMITS.place),
		responsiblePartyId: z.uuid({ error: (issue) => (issue.input ? 'invalid' : 'required') })
	})
	.superRefine((item, context) => {
		// A payment says how much; an act has no amount.
		if (item.kind === 'payment' && item.amount === null)
			context.addIssue({ code: 'custom', path: ['amount'], message: 'required' });
		if (item.kind === 'act' && item.amount !== null)
			context.addIssue({ code: 'custom', path: ['amount'], message: 'invalid' });
	});
export type PerformanceItemInput = z.output<typeof performanceItemSchema>;

export const performanceItemIdSchema = z.object({ caseId: id, itemId: id });

export const performanceMoveSchema = z
	.object({
		caseId: id,
		itemId: id,
		move: z.enum(MEDIATOR_MOVES, 'invalid'),
		reason: optionalText(PERFORMANCE_LIMITS.reason)
	})
	.superRefine((input, context) => {
		if (PERFORMANCE_MOVES[input.move].reason && !input.reason)
			context.addIssue({ code: 'custom', path: ['reason'], message: 'required' });
	});

export const performanceReportSchema = z.object({
	itemId: id,
	note: optionalText(PERFORMANCE_LIMITS.note)
});
