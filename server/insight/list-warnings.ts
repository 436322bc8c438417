import { aliasedTable, and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { CaseStatus } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import { warningListSchema, type WarningRule, type WarningSeverity, type WarningStatus } from '#shared/warnings.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { cases, orgNodes, users, warningEvents, warnings } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { statisticsRoots, underPaths } from './statistics-scope.ts';

/** The most a page lists; the rest wait until these are resolved (or another filter is chosen). */
export const WARNING_PAGE_SIZE = 200;

export type WarningEvent = {
	action: string;
	actorName: string;
	data: Record<string, unknown>;
	createdAt: Date;
};

export type WarningItem = {
	id: string;
	rule: WarningRule;
	severity: WarningSeverity;
	status: WarningStatus;
	caseId: string | null;
	caseNumber: string | null;
	caseStatus: CaseStatus | null;
	villageId: string | null;
	villageName: string | null;
	details: Record<string, unknown>;
	assigneeId: string | null;
	assigneeName: string | null;
	createdAt: Date;
	events: WarningEvent[];
};

const assignee = aliasedTable(users, 'assignee');
const SEVERITY_RANK = sql`case ${warnings.severity} when 'high' then 0 when 'medium' then 1 else 2 end`;

/**
 * The warnings on the actor's subtree, the most severe and newest first, with
 * what was done about each. Without a status filter: those not yet resolved.
 */
export async function listWarnings(db: Db, actor: Actor, input: unknown): Promise<WarningItem[]> {
	authorize(actor, 'warnings:handle');
	const filters = parseInput(warningListSchema, input);
	const rows = await db
		.select({
			id: warnings.id,
			rule: warnings.rule,
			severity: warnings.severity,
			status: warnings.status,
			caseId: warnings.caseId,
			caseNumber: cases.number,
			caseStatus: cases.status,
			villageId: warnings.villageId,
			villageName: orgNodes.name,
			details: warnings.details,
			assigneeId: warnings.assigneeId,
			assigneeName: assignee.displayName,
			createdAt: warnings.createdAt
		})
		.from(warnings)
		.leftJoin(cases, eq(cases.id, warnings.caseId))
		.leftJoin(orgNodes, eq(orgNodes.id, warnings.villageId))
		.leftJoin(assignee, eq(assignee.id, warnings.assigneeId))
		.where(
			and(
				underPaths(warnings.orgPath, await statisticsRoots(db, actor)),
				filters.status ? eq(warnings.status, filters.status) : inArray(warnings.status, ['open', 'acknowledged']),
				filters.severity ? eq(warnings.severity, filters.severity) : undefined,
				filters.rule ? eq(warnings.rule, filters.rule) : undefined,
				filters.mine ? eq(warnings.assigneeId, actor.id) : undefined
			)
		)
		.orderBy(SEVERITY_RANK, desc(warnings.createdAt))
		.limit(WARNING_PAGE_SIZE);
	const events = rows.length
		? await db
				.select({
					warningId: warningEvents.warningId,
					action: warningEvents.action,
					actorName: users.displayName,
					data: warningEvents.data,
					createdAt: warningEvents.createdAt
				})
				.from(warningEvents)
				.innerJoin(users, eq(users.id, warningEvents.actorId))
				.where(
					inArray(
						warningEvents.warningId,
						rows.map((row) => row.id)
					)
				)
				.orderBy(asc(warningEvents.seq))
		: [];
	return rows.map((row) => ({
		...row,
		details: row.details as Record<string, unknown>,
		events: events
			.filter((event) => event.warningId === row.id)
			.map(({ warningId: _, ...event }) => ({ ...event, data: event.data as Record<string, unknown> }))
	}));
}
