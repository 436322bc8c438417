import { asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { PerformanceItemKind, PerformanceState } from '#shared/performance.ts';
import type { EvidenceItem } from '../cases/get-case.ts';
import type { Db } from '../db/client.ts';
import {
	caseParties,
	performanceItems,
	performancePlans,
	performanceProofs,
	storedFiles,
	users
} from '../db/schema.ts';
import { agreementOfRecord, dayOf } from './plan-access.ts';

/** A proof file, told as evidence is: its name, type, size, SHA-256, and who uploaded it when. */
export type ProofView = EvidenceItem;

export type PerformanceItemView = {
	id: string;
	/** Its number in the plan as shown, from 1, in due order. */
	number: number;
	kind: PerformanceItemKind;
	description: string;
	amountCents: number | null;
	dueOn: string;
	place: string;
	responsible: { id: string; name: string };
	state: PerformanceState;
	reportNote: string | null;
	reportedAt: Date | null;
	reportedBy: string | null;
	reason: string | null;
	settledAt: Date | null;
	settledBy: string | null;
	/** Still planned after its due day. */
	overdue: boolean;
	proofs: ProofView[];
};

export type CasePerformance = {
	/** Whether the case has the agreement a plan performs (sealed, or oral). */
	agreement: 'agreement' | 'oral_agreement' | null;
	plan: { createdAt: Date; performedAt: Date | null } | null;
	items: PerformanceItemView[];
	/** Confirmed or waived, of all. */
	settled: number;
};

/**
 * The case's performance plan as its pages show it: every item with its state, who reported and
 * settled it, and its proof. The caller has checked that the reader may see the case.
 */
export async function getCasePerformance(db: Db, caseId: string, now = new Date()): Promise<CasePerformance> {
	const reporter = alias(caseParties, 'reporter');
	const [agreement, [plan], rows] = await Promise.all([
		agreementOfRecord(db, caseId),
		db
			.select({ createdAt: performancePlans.createdAt, performedAt: performancePlans.performedAt })
			.from(performancePlans)
			.where(eq(performancePlans.caseId, caseId)),
		db
			.select({
				item: performanceItems,
				responsible: caseParties.name,
				reportedBy: reporter.name,
				settledBy: users.displayName
			})
			.from(performanceItems)
			.innerJoin(caseParties, eq(caseParties.id, performanceItems.responsiblePartyId))
			.leftJoin(reporter, eq(reporter.id, performanceItems.reportedByPartyId))
			.leftJoin(users, eq(users.id, performanceItems.settledById))
			.where(eq(performanceItems.caseId, caseId))
			.orderBy(asc(performanceItems.dueOn), asc(performanceItems.position))
	]);
	const proofs = await listProofs(
		db,
		rows.map((row) => row.item.id)
	);
	const today = dayOf(now);
	const items = rows.map(({ item, responsible, reportedBy, settledBy }, index): PerformanceItemView => ({
		id: item.id,
		number: index + 1,
		kind: item.kind,
		description: item.description,
		amountCents: item.amountCents,
		dueOn: item.dueOn,
		place: item.place,
		responsible: { id: item.responsiblePartyId, name: responsible },
		state: item.state,
		reportNote: item.reportNote,
		reportedAt: item.reportedAt,
		reportedBy,
		reason: item.reason,
		settledAt: item.settledAt,
		settledBy,
		overdue: item.state === 'planned' && item.dueOn < today,
		proofs: proofs.filter((proof) => proof.itemId === item.id).map(({ itemId: _, ...proof }) => proof)
	}));
	return {
		agreement: agreement ? (agreement.sealedAgreementId ? 'agreement' : 'oral_agreement') : null,
		plan: plan ?? null,
		items,
		settled: items.filter((item) => item.state === 'confirmed' || item.state === 'waived').length
	};
}

async function listProofs(db: Db, itemIds: string[]): Promise<(ProofView & { itemId: string })[]> {
	if (!itemIds.length) return [];
	const rows = await db
		.select({
			id: performanceProofs.id,
			itemId: performanceProofs.itemId,
			filename: performanceProofs.filename,
			mimeType: storedFiles.mimeType,
			size: storedFiles.size,
			sha256: storedFiles.sha256,
			createdAt: performanceProofs.createdAt,
			userName: users.displayName,
			partyName: caseParties.name
		})
		.from(performanceProofs)
		.innerJoin(storedFiles, eq(storedFiles.id, performanceProofs.fileId))
		.leftJoin(users, eq(users.id, performanceProofs.uploadedById))
		.leftJoin(caseParties, eq(caseParties.id, performanceProofs.uploadedByPartyId))
		.where(inArray(performanceProofs.itemId, itemIds))
		.orderBy(asc(performanceProofs.createdAt));
	return rows.map(({ userName, partyName, ...row }) => ({ ...row, uploaderLabel: userName ?? partyName ?? '' }));
}
