import { eq } from 'drizzle-orm';
import { DEFAULT_ACCEPTANCE_SOURCE } from '#shared/cases.ts';
import type { CaseDocumentView } from '#shared/documents.ts';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { acceptanceSchema, caseIdSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import { cases } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import type { SealingDeps } from './seal-case-document.ts';
import { sealAcceptanceRegister } from './seal-acceptance-register.ts';

/**
 * A mediator makes the acceptance register of an accepted case on demand: one accepted before
 * registers were made, or whose register failed to seal. As on accepting, they give the source and
 * confirm that the parties agreed to mediation; both are recorded before the register is sealed.
 */
export async function registerAcceptance(
	app: SealingDeps,
	actor: Actor,
	input: unknown,
	ip: string | null
): Promise<CaseDocumentView> {
	authorize(actor, 'cases:mediate');
	const { caseId } = parseInput(caseIdSchema, input);
	const confirmed = parseInput(acceptanceSchema, input);
	await app.db.transaction(async (tx) => {
		const row = await findVisibleCase(tx, actor, caseId, true);
		if (!row.acceptedAt) throw new AppError('CONFLICT');
		const acceptanceSource =
			confirmed.acceptanceSource ?? row.acceptanceSource ?? DEFAULT_ACCEPTANCE_SOURCE[row.channel];
		if (!acceptanceSource) throw new AppError('VALIDATION', { fields: { acceptanceSource: ['required'] } });
		await tx.update(cases).set({ acceptanceSource }).where(eq(cases.id, row.id));
		await recordCaseEvent(tx, {
			caseId: row.id,
			actorId: actor.id,
			action: 'case.acceptance_confirmed',
			data: { acceptanceSource, consent: true },
			ip
		});
	});
	return sealAcceptanceRegister(app, caseId, { actor: { id: actor.id, label: actor.displayName }, ip });
}
