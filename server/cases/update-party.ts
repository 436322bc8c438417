import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { partyUpdateSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseParties, cases, storedFiles } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { readPowerOfAttorney } from '../evidence/read-power-of-attorney.ts';
import { findVisibleCase } from './case-scope.ts';
import { parseIntake } from './parse-intake.ts';
import { caseSearchText, searchTokens } from './search-tokens.ts';

/**
 * The mediator completes or corrects a party's details, their agent and the agent's power of
 * attorney (a new file replaces the old one; an agent left without a name is removed). The
 * audit event names the details that changed, never their values: an ID number stays out of
 * the log.
 */
export async function updateParty(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	files: File[],
	ip: string | null
): Promise<void> {
	authorize(actor, 'cases:mediate');
	const { data, uploads } = await parseIntake(partyUpdateSchema, input, files, readPowerOfAttorney);
	const [upload] = uploads;
	if (upload && !data.agent) throw new AppError('VALIDATION', { fields: { 'agent.name': ['required'] } });
	await app.db.transaction(async (tx) => {
		const row = await findVisibleCase(tx, actor, data.caseId, true);
		if (row.status === 'closed') throw new AppError('INVALID_TRANSITION');
		const [before] = await tx
			.select()
			.from(caseParties)
			.where(and(eq(caseParties.id, data.partyId), eq(caseParties.caseId, data.caseId)));
		if (!before) throw new AppError('NOT_FOUND');

		let file: { id: string; filename: string } | null = null;
		if (upload && data.agent) {
			const [stored] = await tx
				.insert(storedFiles)
				.values({ sha256: upload.sha256, mimeType: upload.mimeType, size: upload.size, content: upload.bytes })
				.returning({ id: storedFiles.id });
			file = { id: stored.id, filename: upload.filename };
		}
		const keptFile = data.agent && before.agentName ? before.agentPowerOfAttorneyFileId : null;
		const after = {
			...data.party,
			agentName: data.agent?.name ?? null,
			agentPhone: data.agent?.phone ?? null,
			agentScope: data.agent?.scope ?? null,
			agentPowerOfAttorneyFileId: file?.id ?? keptFile,
			agentPowerOfAttorneyFilename: file?.filename ?? (keptFile ? before.agentPowerOfAttorneyFilename : null)
		};
		const changed = (Object.keys(after) as (keyof typeof after)[]).filter((key) => after[key] !== before[key]);
		if (!changed.length) return;
		await tx.update(caseParties).set(after).where(eq(caseParties.id, before.id));
		if (changed.includes('name')) await refreshSearchText(tx, row.id, row.facts);
		await recordCaseEvent(tx, {
			caseId: row.id,
			actorId: actor.id,
			action: 'party.updated',
			data: {
				partyId: before.id,
				name: after.name,
				changed,
				...(upload && file
					? { powerOfAttorney: { filename: file.filename, sha256: upload.sha256, size: upload.size } }
					: {})
			},
			ip
		});
	});
	await app.events.emit('case.changed', { caseId: data.caseId });
}

/** The case search finds parties by name, so a renamed party is found by the new one. */
async function refreshSearchText(tx: Db, caseId: string, facts: string) {
	const names = await tx.select({ name: caseParties.name }).from(caseParties).where(eq(caseParties.caseId, caseId));
	const searchText = caseSearchText(
		facts,
		names.map((party) => party.name)
	);
	await tx
		.update(cases)
		.set({ searchText, searchTokens: searchTokens(searchText) })
		.where(eq(cases.id, caseId));
}
