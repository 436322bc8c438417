import { and, count, eq, gte, lt, ne, notInArray, type SQL } from 'drizzle-orm';
import { RISK_SEVERITY, type RiskCategory, type WarningSeverity } from '#shared/warnings.ts';
import type { Db } from '../db/client.ts';
import { caseParties, cases } from '../db/schema.ts';
import { monthOf } from './period.ts';
import { raiseDeadlineWarnings } from './deadline-warnings.ts';
import { raiseWarning, type NewWarning } from './raise-warning.ts';
import { riskWordsIn } from './risk-words.ts';
import { settingsAt } from './warning-settings.ts';

const DAY_MS = 86_400_000;

/** Two disputes make a repetition; three or more a pattern. */
const repeatSeverity = (earlier: number): WarningSeverity => (earlier >= 2 ? 'high' : 'medium');

const SEVERITY_ORDER: WarningSeverity[] = ['low', 'medium', 'high'];

/**
 * Runs the rules that look at one case: risk words in its facts; its parties
 * (by phone, or by name in the same place when there is no phone) and their
 * households (by address) in earlier disputes within the window; earlier
 * disputes of the same type in the same place; its deadline. Only earlier
 * cases count, so each repetition is raised once, by the case that repeats.
 */
export async function raiseCaseWarnings(db: Db, caseId: string, now = new Date()): Promise<number> {
	const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
	if (!row) return 0;
	const settings = await settingsAt(db, row.committeePath);
	const raised: NewWarning[] = [];
	const about = { orgPath: row.committeePath, caseId: row.id, villageId: row.villageId };
	const base = { ...about, details: { number: row.number } };

	const risks = riskWordsIn(row.facts, settings.riskWords);
	const categories = Object.keys(risks) as RiskCategory[];
	if (categories.length)
		raised.push({
			...base,
			rule: 'risk_words',
			subjectKey: row.id,
			severity: SEVERITY_ORDER[Math.max(...categories.map((c) => SEVERITY_ORDER.indexOf(RISK_SEVERITY[c])))],
			details: { number: row.number, words: Object.values(risks).flat(), categories }
		});

	const windowStart = new Date(row.createdAt.getTime() - settings.repeatWindowDays * DAY_MS);
	const earlier = [ne(cases.id, row.id), lt(cases.createdAt, row.createdAt), gte(cases.createdAt, windowStart)];
	const earlierCasesOf = async (match: SQL) =>
		db
			.selectDistinct({ id: cases.id, number: cases.number })
			.from(caseParties)
			.innerJoin(cases, eq(cases.id, caseParties.caseId))
			.where(and(match, ...earlier))
			.orderBy(cases.number);

	const parties = await db.select().from(caseParties).where(eq(caseParties.caseId, row.id));
	for (const party of parties) {
		const person = party.phone
			? await earlierCasesOf(eq(caseParties.phone, party.phone))
			: await earlierCasesOf(and(eq(caseParties.name, party.name), eq(cases.villageId, row.villageId))!);
		if (person.length)
			raised.push({
				...about,
				rule: 'repeat_person',
				subjectKey: `${party.phone ? `phone:${party.phone}` : `name:${row.villageId}:${party.name}`}@${row.id}`,
				severity: repeatSeverity(person.length),
				details: { number: row.number, name: party.name, days: settings.repeatWindowDays, cases: person }
			});
		if (!party.address) continue;
		// The same person's own cases are already told; the household rule adds the others living there.
		const household = await earlierCasesOf(
			and(
				eq(caseParties.address, party.address),
				person.length
					? notInArray(
							cases.id,
							person.map((c) => c.id)
						)
					: undefined
			)!
		);
		if (household.length)
			raised.push({
				...about,
				rule: 'repeat_household',
				subjectKey: `${party.address}@${row.id}`,
				severity: repeatSeverity(household.length),
				details: { number: row.number, address: party.address, days: settings.repeatWindowDays, cases: household }
			});
	}

	const [place] = await db
		.select({ n: count() })
		.from(cases)
		.where(and(eq(cases.villageId, row.villageId), eq(cases.disputeType, row.disputeType), ...earlier));
	const inPlace = place.n + 1;
	if (inPlace >= settings.repeatPlaceMinCases)
		raised.push({
			...about,
			rule: 'repeat_place',
			// Once a month per place and type: each further case there is the same pattern, not news.
			subjectKey: `${row.villageId}:${row.disputeType}:${monthOf(row.createdAt)}`,
			severity: inPlace >= 2 * settings.repeatPlaceMinCases ? 'high' : 'medium',
			details: { number: row.number, disputeType: row.disputeType, count: inPlace, days: settings.repeatWindowDays }
		});

	let created = 0;
	for (const warning of raised) if (await raiseWarning(db, warning)) created++;
	return created + (await raiseDeadlineWarnings(db, now, row.id));
}
