import { z } from 'zod';
import { DISPUTE_TYPES, type DisputeType } from './cases.ts';

/**
 * How long a closed case's file is kept (保管期限), by the dispute's type, until the committee's
 * own table says otherwise: disputes over land and family status for good, others for a term.
 */
export const RETENTION_DEFAULTS: Record<DisputeType, string> = {
	land: '永久',
	family: '永久',
	neighbour: '30年',
	damage_compensation: '30年',
	labour: '30年',
	contract: '30年',
	other: '10年'
};

/** Longest retention period an admin may write into the table. */
export const RETENTION_MAX_LENGTH = 20;

/** The retention table as an admin submits it: a period for every dispute type. */
export const retentionPeriodsSchema = z.object(
	Object.fromEntries(
		DISPUTE_TYPES.map((type) => [
			type,
			z
				.string()
				.trim()
				.min(1, 'required')
				.max(RETENTION_MAX_LENGTH, 'too_long')
				.refine((value) => !/[\r\n]/.test(value), 'invalid')
		])
	) as Record<DisputeType, z.ZodString>
);

/**
 * The committee's short name in its file numbers: its name without "人民调解委员会" (东村人民调解委员会 →
 * 东村), or the whole name when it is not called so.
 */
export function fileNumberPrefix(committeeName: string): string {
	return committeeName.replace(/(人民)?调解委员会$/u, '') || committeeName;
}

/** 卷号, as the 2010 formats write it: （2026）东村人调字第3号. */
export const formatFileNumber = (year: number, committeeName: string, sequence: number): string =>
	`（${year}）${fileNumberPrefix(committeeName)}人调字第${sequence}号`;
