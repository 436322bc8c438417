import { and, arrayContains, desc, eq, gte, inArray, like, lt, sql, type SQL } from 'drizzle-orm';
import {
	DEADLINE_STATUSES,
	deadlineState,
	NEAR_DEADLINE_DAYS,
	OPEN_STATUSES,
	type CaseChannel,
	type CaseOutcome,
	type CaseStatus,
	type DeadlineState,
	type DisputeType
} from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseListSchema, type CaseListFilters } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, caseParties, cases, committees, orgNodes, performancePlans } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { withinPeriod } from '../insight/period.ts';
import { visibleCases } from './case-scope.ts';
import { performedCase } from '../performance/count-performed.ts';
import { casesWithIncompleteParties } from './list-party-details.ts';
import { searchQuery } from './search-tokens.ts';

export const CASE_PAGE_SIZE = 25;

export type CaseListItem = {
	id: string;
	number: string;
	disputeType: DisputeType;
	status: CaseStatus;
	outcome: CaseOutcome | null;
	channel: CaseChannel;
	villageName: string;
	committeeName: string;
	applicants: string;
	respondents: string;
	createdAt: Date;
	deadline: Date | null;
	endedAt: Date | null;
	deadlineState: DeadlineState;
	/** When its agreement was performed (履行完毕), if it was. */
	performedAt: Date | null;
};

/** A case on a page of the list also says whether a party's details are not yet complete enough for the documents of record. */
export type CasePage = {
	cases: (CaseListItem & { partiesIncomplete: boolean })[];
	nextCursor: string | null;
};

/** A page boundary: the sort key of the last case shown, exact to the microsecond that PostgreSQL keeps. */
type Cursor = { createdAt: string; id: string };

function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
	try {
		const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown[];
		if (
			typeof createdAt === 'string' &&
			/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(createdAt) &&
			typeof id === 'string' &&
			/^[0-9a-f-]{36}$/.test(id)
		)
			return { createdAt, id };
	} catch {
		// falls through to the refusal below
	}
	throw new AppError('VALIDATION', { fields: { cursor: ['invalid'] } });
}

const namesOf = (side: 'applicant' | 'respondent') =>
	sql<string>`coalesce((select string_agg(${caseParties.name}, '、' order by ${caseParties.createdAt}) from ${caseParties} where ${caseParties.caseId} = ${cases.id} and ${caseParties.side} = ${side}), '')`;

async function filterConditions(db: Db, filters: CaseListFilters, now: Date): Promise<SQL[]> {
	const conditions: SQL[] = [];
	if (filters.status) conditions.push(eq(cases.status, filters.status));
	if (filters.disputeType) conditions.push(eq(cases.disputeType, filters.disputeType));
	if (filters.villageId) {
		// A village includes its groups. The ids are looked up first so that the planner sees how many cases they hold.
		const village = db.select({ path: orgNodes.path }).from(orgNodes).where(eq(orgNodes.id, filters.villageId));
		const places = await db
			.select({ id: orgNodes.id })
			.from(orgNodes)
			.where(like(orgNodes.path, sql`(${village}) || '%'`));
		conditions.push(
			places.length
				? inArray(
						cases.villageId,
						places.map((place) => place.id)
					)
				: sql`false`
		);
	}
	if (filters.mediatorId)
		conditions.push(
			inArray(
				cases.id,
				db.select({ id: caseMediators.caseId }).from(caseMediators).where(eq(caseMediators.userId, filters.mediatorId))
			)
		);
	if (filters.deadline) {
		conditions.push(inArray(cases.status, DEADLINE_STATUSES));
		if (filters.deadline === 'overdue') conditions.push(lt(cases.deadline, now));
		else
			conditions.push(
				gte(cases.deadline, now),
				lt(cases.deadline, new Date(now.getTime() + NEAR_DEADLINE_DAYS * 86_400_000))
			);
	}
	if (filters.open) conditions.push(inArray(cases.status, OPEN_STATUSES));
	if (filters.outcome) conditions.push(eq(cases.outcome, filters.outcome));
	if (filters.performed) conditions.push(performedCase);
	if (filters.org) {
		// The path is looked up first so that the prefix match can use the committee path index.
		const [node] = await db.select({ path: orgNodes.path }).from(orgNodes).where(eq(orgNodes.id, filters.org));
		conditions.push(node ? like(cases.committeePath, `${node.path}%`) : sql`false`);
	}
	conditions.push(...withinPeriod(cases.createdAt, filters));
	if (filters.q) {
		const { tokens, runs } = searchQuery(filters.q);
		if (tokens.length) {
			conditions.push(arrayContains(cases.searchTokens, tokens));
			for (const run of runs) conditions.push(sql`position(${run} in ${cases.searchText}) > 0`);
		}
	}
	if (filters.cursor) {
		const cursor = decodeCursor(filters.cursor);
		conditions.push(sql`(${cases.createdAt}, ${cases.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
	}
	return conditions;
}

/** The cases the actor may see that match the filters, newest first, at most `limit` of them. */
async function selectCases(db: Db, actor: Actor, filters: CaseListFilters, now: Date, limit: number) {
	return db
		.select({
			id: cases.id,
			number: cases.number,
			disputeType: cases.disputeType,
			status: cases.status,
			outcome: cases.outcome,
			channel: cases.channel,
			villageName: orgNodes.name,
			committeeName: committees.name,
			applicants: namesOf('applicant'),
			respondents: namesOf('respondent'),
			createdAt: cases.createdAt,
			deadline: cases.deadline,
			endedAt: cases.endedAt,
			performedAt: performancePlans.performedAt,
			sortKey: sql<string>`to_char(${cases.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
		})
		.from(cases)
		.innerJoin(orgNodes, eq(orgNodes.id, cases.villageId))
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.leftJoin(performancePlans, eq(performancePlans.caseId, cases.id))
		.where(and(await visibleCases(db, actor), ...(await filterConditions(db, filters, now))))
		.orderBy(desc(cases.createdAt), desc(cases.id))
		.limit(limit);
}

type SelectedCase = Awaited<ReturnType<typeof selectCases>>[number];

const itemOf = ({ sortKey: _, ...row }: SelectedCase, now: Date): CaseListItem => ({
	...row,
	deadlineState: deadlineState(row.status, row.deadline, now)
});

/**
 * One page of the cases the actor may see, newest first, narrowed by the
 * filters; `nextCursor` continues after the last one (keyset pagination, so
 * page 1000 costs what page 1 does).
 */
export async function listCases(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<CasePage> {
	authorize(actor, 'cases:list');
	const filters = parseInput(caseListSchema, input);
	const rows = await selectCases(db, actor, filters, now, CASE_PAGE_SIZE + 1);
	const page = rows.slice(0, CASE_PAGE_SIZE);
	const last = page.at(-1);
	const ids = page.map((row) => row.id);
	const incomplete = await casesWithIncompleteParties(db, ids);
	return {
		cases: page.map((row) => ({ ...itemOf(row, now), partiesIncomplete: incomplete.has(row.id) })),
		nextCursor: rows.length > CASE_PAGE_SIZE && last ? encodeCursor({ createdAt: last.sortKey, id: last.id }) : null
	};
}

/** The most cases one export holds: a town's several years. A larger list must be narrowed first. */
export const CASE_EXPORT_MAX = 20_000;

/** Every case of the filtered list (from its first page, whatever the cursor), for an export. */
export async function listCasesForExport(
	db: Db,
	actor: Actor,
	input: unknown,
	now = new Date()
): Promise<CaseListItem[]> {
	authorize(actor, 'cases:export');
	const { cursor: _, ...filters } = parseInput(caseListSchema, input);
	const rows = await selectCases(db, actor, filters, now, CASE_EXPORT_MAX + 1);
	if (rows.length > CASE_EXPORT_MAX) throw new AppError('VALIDATION', { fields: { export: ['too_many'] } });
	return rows.map((row) => itemOf(row, now));
}
