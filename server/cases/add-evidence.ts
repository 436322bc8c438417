import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseIdSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { parseInput } from '../parse-input.ts';
import { attachEvidence, type EvidenceActor } from './attach-evidence.ts';
import { findVisibleCase } from './case-scope.ts';
import { parseIntake } from './parse-intake.ts';
import { findTrackedParty } from './track-case.ts';

/** The files are refused as a whole when one is wrong; a closed case takes no more evidence. */
async function attachTo(
	app: { db: Db },
	caseId: string,
	files: File[],
	by: EvidenceActor,
	ip: string | null,
	find: (tx: { db: Db }['db']) => Promise<{ status: string }>
) {
	const { uploads } = await parseIntake(caseIdSchema, { caseId }, files);
	if (!uploads.length) throw new AppError('VALIDATION', { fields: { evidence: ['required'] } });
	await app.db.transaction(async (tx) => {
		const row = await find(tx);
		if (row.status === 'closed') throw new AppError('INVALID_TRANSITION');
		await attachEvidence(tx, caseId, uploads, by, ip);
	});
}

/** Evidence added by someone with an account who may see the case. */
export async function addEvidence(app: { db: Db }, actor: Actor, input: unknown, files: File[], ip: string | null) {
	authorize(actor, 'cases:list');
	const { caseId } = parseInput(caseIdSchema, input);
	// Someone who may not see the case learns nothing about it, not even what is wrong with their files.
	await findVisibleCase(app.db, actor, caseId);
	await attachTo(app, caseId, files, { actorId: actor.id }, ip, (tx) => findVisibleCase(tx, actor, caseId, true));
}

/** Evidence added by a party through their private tracking link. */
export async function addTrackedEvidence(app: { db: Db }, token: string, files: File[], ip: string | null) {
	const { party } = await findTrackedParty(app.db, token);
	await attachTo(
		app,
		party.caseId,
		files,
		{ actorLabel: party.name, partyId: party.id },
		ip,
		async (tx) => (await findTrackedParty(tx, token, true)).caseRow
	);
}
