import type { JSONContent } from '@tiptap/core';
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../db/client.ts';
import { agreementTemplates, caseMediators, caseParties, cases, committees, orgNodes, users } from '../db/schema.ts';
import { DEFAULT_AGREEMENT_TEMPLATE } from './default-template.ts';
import { fillTemplate, type PlaceholderValues } from './fill-template.ts';

export type EffectiveTemplate = {
	body: JSONContent;
	/** The node whose template it is; null for the built-in one. */
	source: { id: string; name: string } | null;
};

/** The ids on an org path (`/a/b/c/`), root first. */
export const pathIds = (path: string) => path.split('/').filter(Boolean);

/** The template that applies at the node with `path`: its own, else its nearest ancestor's, else the built-in one. */
export async function effectiveTemplate(db: Db, path: string): Promise<EffectiveTemplate> {
	const [nearest] = await db
		.select({ body: agreementTemplates.body, id: orgNodes.id, name: orgNodes.name })
		.from(agreementTemplates)
		.innerJoin(orgNodes, eq(orgNodes.id, agreementTemplates.orgNodeId))
		.where(inArray(agreementTemplates.orgNodeId, pathIds(path)))
		.orderBy(desc(sql`length(${orgNodes.path})`))
		.limit(1);
	if (!nearest) return { body: DEFAULT_AGREEMENT_TEMPLATE, source: null };
	return { body: nearest.body as JSONContent, source: { id: nearest.id, name: nearest.name } };
}

/** 2026年11月29日, in the server's time zone (a town's server runs in the town's). */
export const chineseDate = (date: Date) => `${date.getFullYear()}年${date.getMonth() + 1}月${date.getDate()}日`;

const DIGITS = '零一二三四五六七八九';
/** A count as written in a document: 三, 十二, 二十一. */
export function chineseCount(n: number): string {
	if (n < 10) return DIGITS[n];
	if (n >= 100) return String(n);
	const tens = Math.floor(n / 10);
	return `${tens === 1 ? '' : DIGITS[tens]}十${n % 10 ? DIGITS[n % 10] : ''}`;
}

type Party = { side: 'applicant' | 'respondent'; name: string; phone: string | null; address: string | null };

const partyLine = (label: string, party: Party) =>
	[`${label}：${party.name}`, party.phone && `联系电话：${party.phone}`, party.address && `住址：${party.address}`]
		.filter(Boolean)
		.join('，');

const yuan = (cents: number) => `人民币${(cents / 100).toFixed(cents % 100 ? 2 : 0)}元`;

/**
 * The start of a new agreement draft for the case: the template of its committee's organisation
 * (or the nearest one above it, or the built-in one) with the case's data filled in. The caller
 * has already checked that its user may draft the case's agreement.
 */
export async function templateForCase(db: Db, caseId: string, now = new Date()): Promise<JSONContent> {
	const [row] = await db
		.select({
			number: cases.number,
			facts: cases.facts,
			claims: cases.claims,
			amountCents: cases.amountCents,
			committeeName: committees.name,
			committeePath: orgNodes.path,
			villageName: sql<string>`(select ${orgNodes.name} from ${orgNodes} where ${orgNodes.id} = ${cases.villageId})`
		})
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(eq(cases.id, caseId));
	if (!row) throw new AppError('NOT_FOUND');
	const [template, parties, mediators] = await Promise.all([
		effectiveTemplate(db, row.committeePath),
		db
			.select({
				side: caseParties.side,
				name: caseParties.name,
				phone: caseParties.phone,
				address: caseParties.address
			})
			.from(caseParties)
			.where(eq(caseParties.caseId, caseId))
			.orderBy(asc(caseParties.createdAt)),
		db
			.select({ name: users.displayName })
			.from(caseMediators)
			.innerJoin(users, eq(users.id, caseMediators.userId))
			.where(eq(caseMediators.caseId, caseId))
			.orderBy(asc(caseMediators.createdAt), asc(users.displayName))
	]);
	const linesOf = (side: Party['side'], label: string) =>
		parties
			.filter((party) => party.side === side)
			.map((party) => partyLine(label, party))
			.join('\n');
	const values: PlaceholderValues = {
		'case.number': row.number,
		applicants: linesOf('applicant', '申请人'),
		respondents: linesOf('respondent', '被申请人'),
		facts: row.facts,
		claims: row.claims,
		amount: row.amountCents === null ? '无' : yuan(row.amountCents),
		'village.name': row.villageName,
		'committee.name': row.committeeName,
		mediators: mediators.map((mediator) => mediator.name).join('、'),
		// One for each party and one the committee keeps.
		copies: chineseCount(parties.length + 1),
		date: chineseDate(now)
	};
	return fillTemplate(template.body, values);
}
