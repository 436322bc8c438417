import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { onSiteAcknowledgementSchema } from '#shared/notice.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseParties } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { checkSignatureImage } from '../signing/signatures/sign-agreement.ts';
import { storeAcknowledgement } from './acknowledge-notice.ts';

/**
 * A party present in person, without a device of their own, acknowledges the notice on the
 * mediator's: the mediator records it with the party's drawn signature, which is kept.
 */
export async function recordOnSiteAcknowledgement(app: { db: Db }, actor: Actor, input: unknown, ip: string | null) {
	authorize(actor, 'cases:mediate');
	const { caseId, partyId, sha256, sessionChoice, ...drawn } = parseInput(onSiteAcknowledgementSchema, input);
	const signature = Buffer.from(drawn.signature, 'base64');
	checkSignatureImage(signature);
	await findVisibleCase(app.db, actor, caseId);
	const [party] = await app.db
		.select({ id: caseParties.id })
		.from(caseParties)
		.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, caseId)));
	if (!party) throw new AppError('VALIDATION', { fields: { partyId: ['invalid'] } });
	return storeAcknowledgement(app.db, {
		caseId,
		casePartyId: party.id,
		sha256,
		sessionChoice,
		via: 'on_site',
		actor: { actorId: actor.id },
		signature,
		ip
	});
}
