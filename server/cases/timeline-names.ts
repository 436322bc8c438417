import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseParties, committees, users } from '../db/schema.ts';
import type { TimelineEvent } from './get-case.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idsIn = (value: unknown): string[] =>
	(Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && UUID.test(v));

/**
 * The names behind the ids that audit events record (committees a case moved
 * between, mediators assigned, the expert invited, the party given a link),
 * so that the timeline can say who and where rather than show ids. Events keep
 * ids, not names, because names change and the log must not.
 */
export async function timelineNames(db: Db, timeline: TimelineEvent[]): Promise<Record<string, string>> {
	const committeeIds = new Set<string>();
	const userIds = new Set<string>();
	const partyIds = new Set<string>();
	for (const { action, data } of timeline) {
		for (const key of ['committeeId', 'fromCommitteeId', 'toCommitteeId', 'referredFromCommitteeId'])
			idsIn(data[key]).forEach((id) => committeeIds.add(id));
		if (action === 'case.mediators_assigned') [...idsIn(data.from), ...idsIn(data.to)].forEach((id) => userIds.add(id));
		idsIn(data.expertId).forEach((id) => userIds.add(id));
		idsIn(data.partyId).forEach((id) => partyIds.add(id));
	}
	const [committeeRows, userRows, partyRows] = await Promise.all([
		committeeIds.size
			? db
					.select({ id: committees.id, name: committees.name })
					.from(committees)
					.where(inArray(committees.id, [...committeeIds]))
			: [],
		userIds.size
			? db
					.select({ id: users.id, name: users.displayName })
					.from(users)
					.where(inArray(users.id, [...userIds]))
			: [],
		partyIds.size
			? db
					.select({ id: caseParties.id, name: caseParties.name })
					.from(caseParties)
					.where(inArray(caseParties.id, [...partyIds]))
			: []
	]);
	return Object.fromEntries([...committeeRows, ...userRows, ...partyRows].map((row) => [row.id, row.name]));
}
