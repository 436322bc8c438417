import { createHash } from 'node:crypto';

/** The `prevHash` of a case's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed content of one audit event, exactly as stored. */
export type HashedCaseEvent = {
	caseId: string;
	seq: number;
	actorId: string | null;
	actorLabel: string | null;
	action: string;
	data: unknown;
	ip: string | null;
	createdAt: Date;
	prevHash: string;
};

/**
 * JSON with object keys sorted (by UTF-16 code unit) at every depth. jsonb
 * does not keep key order, so the hash must not depend on it.
 */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const keys = Object.keys(value).sort();
		const record = value as Record<string, unknown>;
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of the event's canonical JSON, with `createdAt` as an ISO
 * string. The fields are picked one by one so that a stored row (which also
 * has its id and own hash) can be passed as it is.
 */
export function caseEventHash(event: HashedCaseEvent): string {
	const content = canonicalJson({
		caseId: event.caseId,
		seq: event.seq,
		actorId: event.actorId,
		actorLabel: event.actorLabel,
		action: event.action,
		data: event.data,
		ip: event.ip,
		createdAt: event.createdAt.toISOString(),
		prevHash: event.prevHash
	});
	return createHash('sha256').update(content).digest('hex');
}
