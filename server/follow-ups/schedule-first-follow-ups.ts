import { sql } from 'drizzle-orm';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { committees, cases, followUps, oralAgreements, sealedAgreements } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { rowsOf } from '../db/rows-of.ts';

/** How far back the periodic sweep looks for agreements without a follow-up. */
const CATCH_UP_DAYS = 365;

type Scheduled = { id: string; caseId: string; dueOn: string; committee: string };

/**
 * Opens the first follow-up of every case whose agreement has taken effect and that has none yet
 * (only `caseId`'s, when given): due the committee's `followUpDays` after the day the agreement
 * took effect, the day it was first sealed or the day an oral agreement was reached (Law art. 30),
 * in China's time. Idempotent, so that both the sealing's listener and the periodic upkeep may
 * call it: the upkeep catches what a failed listener, or an agreement of the last year made
 * before follow-ups were kept, left unscheduled.
 */
export async function scheduleFirstFollowUps(app: { db: Db; events: DomainEvents }, caseId?: string): Promise<number> {
	// The sweep catches up agreements of the last year only: an installation that starts following
	// up does not open a visit, overdue, for every agreement of its past.
	const only = caseId ? sql`and e.case_id = ${caseId}` : sql``;
	const recent = caseId
		? sql``
		: sql`having min(e.day) >= (now() at time zone 'Asia/Shanghai')::date - ${CATCH_UP_DAYS}::int`;
	const scheduled = await app.db.transaction(async (tx) => {
		const rows = await rowsOf<Scheduled>(
			tx,
			sql`
				with effective as (
					select e.case_id, min(e.day) as day
					from (
						select ${sealedAgreements.caseId} as case_id, (${sealedAgreements.sealedAt} at time zone 'Asia/Shanghai')::date as day
						from ${sealedAgreements}
						union all
						select ${oralAgreements.caseId}, ${oralAgreements.reachedOn} from ${oralAgreements}
					) e
					where not exists (select from ${followUps} f where f.case_id = e.case_id) ${only}
					group by e.case_id
					${recent}
				)
				insert into ${followUps} (case_id, seq, basis, due_on)
				select effective.case_id, 1, 'agreement', effective.day + ${committees.followUpDays}
				from effective
				join ${cases} on ${cases.id} = effective.case_id
				join ${committees} on ${committees.id} = ${cases.committeeId}
				on conflict do nothing
				returning id, case_id as "caseId", due_on::text as "dueOn",
					(select c.name from ${committees} c join ${cases} k on k.committee_id = c.id where k.id = case_id) as committee
			`
		);
		for (const row of rows) {
			await recordCaseEvent(tx, {
				caseId: row.caseId,
				actorLabel: row.committee,
				action: 'follow_up.scheduled',
				data: { followUpId: row.id, seq: 1, dueOn: row.dueOn, basis: 'agreement' }
			});
		}
		return rows;
	});
	for (const row of scheduled) {
		await app.events.emit('follow_up.scheduled', { caseId: row.caseId, followUpId: row.id, dueOn: row.dueOn });
	}
	return scheduled.length;
}
