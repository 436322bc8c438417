import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { signApplicationSchema } from '#shared/judicial.ts';
import { normalizePhone } from '#shared/phone-number.ts';
import type { CaseDocumentView } from '#shared/documents.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { findTrackedParty } from '../cases/track-case.ts';
import { cases, judicialApplications, judicialSignatures } from '../db/schema.ts';
import type { SealingDeps } from '../documents/seal-case-document.ts';
import { parseInput } from '../parse-input.ts';
import { checkSignatureImage, prove, type SigningClient } from '../signing/signatures/sign-agreement.ts';
import { applicantsOf, applicationFor, currentJudicialAgreement, openClock, partyProof } from './judicial-agreement.ts';
import { sealJudicialPacket } from './seal-judicial-packet.ts';

/**
 * A party signs the joint application on their own device, from their tracking page: the
 * application must be prepared and the 30 days not passed; they confirm their service address
 * and phone (送达地址确认), draw their signature and prove it is them as for the agreement (their
 * password, or their invitation's PIN). Once every party has signed, the packet is sealed.
 */
export async function signJudicialApplication(
	app: SealingDeps & { loginThrottle: LoginThrottle },
	token: string,
	input: unknown,
	signature: Uint8Array,
	client: SigningClient,
	now = new Date()
): Promise<{ sealed: CaseDocumentView | null }> {
	const form = parseInput(signApplicationSchema, input);
	const servicePhone = normalizePhone(form.servicePhone);
	if (!servicePhone) throw new AppError('VALIDATION', { fields: { servicePhone: ['not_a_phone'] } });
	checkSignatureImage(signature);
	const { party, caseRow } = await findTrackedParty(app.db, token);
	const agreement = await currentJudicialAgreement(app.db, caseRow.id);
	const application = agreement && (await applicationFor(app.db, agreement.id));
	if (!agreement || !application) throw new AppError('CONFLICT', { fields: { judicial: ['required'] } });
	openClock(agreement, now);
	if (application.documentId) throw new AppError('CONFLICT', { fields: { signature: ['sealed'] } });
	const signer = await partyProof(app.db, party);
	if (!signer) throw new AppError('FORBIDDEN', { fields: { password: ['no_proof'] } });
	await prove(app, caseRow.id, signer, form.password, client, 'judicial.sign_refused');

	const signedAt = new Date();
	await app.db.transaction(async (tx) => {
		await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, caseRow.id)).for('no key update');
		const [current] = await tx
			.select({ startedAt: judicialApplications.startedAt, documentId: judicialApplications.documentId })
			.from(judicialApplications)
			.where(eq(judicialApplications.id, application.id));
		// Prepared again since the party read it: they are to read the new one.
		if (current.startedAt.toISOString() !== new Date(form.prepared).toISOString())
			throw new AppError('CONFLICT', { fields: { judicial: ['changed'] } });
		if (current.documentId) throw new AppError('CONFLICT', { fields: { signature: ['sealed'] } });
		const [stored] = await tx
			.insert(judicialSignatures)
			.values({
				applicationId: application.id,
				casePartyId: party.id,
				serviceAddress: form.serviceAddress,
				servicePhone,
				image: Buffer.from(signature),
				signedAt,
				ip: client.ip,
				userAgent: client.userAgent
			})
			.onConflictDoNothing()
			.returning({ id: judicialSignatures.id });
		if (!stored) throw new AppError('CONFLICT', { fields: { signature: ['already_signed'] } });
		await recordCaseEvent(tx, {
			caseId: caseRow.id,
			actorId: party.userId,
			actorLabel: party.name,
			action: 'judicial.signed',
			data: {
				applicationId: application.id,
				partyId: party.id,
				proof: signer.proof,
				serviceAddressConfirmed: true,
				signedAt: signedAt.toISOString(),
				userAgent: client.userAgent,
				imageSha256: createHash('sha256').update(signature).digest('hex')
			},
			ip: client.ip
		});
	});
	await app.events.emit('judicial.changed', { caseId: caseRow.id });
	const parties = await applicantsOf(app.db, caseRow.id);
	const signatures = await app.db.$count(judicialSignatures, eq(judicialSignatures.applicationId, application.id));
	const sealed = signatures >= parties.length ? await sealJudicialPacket(app, caseRow.id, now) : null;
	return { sealed };
}
