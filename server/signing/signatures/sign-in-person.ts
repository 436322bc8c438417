import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { DRAFT_EVENTS } from '#shared/mediation-record.ts';
import { MAX_PAPER_PHOTO_BYTES, type InPersonSignerView } from '#shared/signing.ts';
import type { Db } from '../../db/client.ts';
import { agreementDrafts, agreementSignatures, caseMediators, users } from '../../db/schema.ts';
import { detectEvidenceType } from '../../evidence/detect-evidence-type.ts';
import { draftSigners, type SignerIdentity } from './case-signers.ts';
import { officeSigners, officeSignerViews } from './office-signers.ts';
import {
	prove,
	signFrozenVersion,
	type PaperPhoto,
	type ProvenSigner,
	type SigningClient,
	type SigningDeps
} from './sign-agreement.ts';

/**
 * What the signer proves on the mediator's device: their own PIN or password, typed by them; or,
 * for a party with neither, the mediator's own password with a photo of the signature the party
 * put on paper.
 */
export type InPersonProof =
	{ kind: 'secret'; secret: string } | { kind: 'attested'; password: string; photo: Uint8Array };
export type InPersonSignatureInput = { versionId: string; signer: string; signature: Uint8Array; proof: InPersonProof };

/** The mediator of the case running the device, with their password's hash; anyone else is refused. */
async function caseMediator(db: Db, caseId: string, userId: string | null) {
	const [mediator] = userId
		? await db
				.select({ id: users.id, name: users.displayName, passwordHash: users.passwordHash })
				.from(caseMediators)
				.innerJoin(users, eq(users.id, caseMediators.userId))
				.where(and(eq(caseMediators.caseId, caseId), eq(caseMediators.userId, userId), eq(users.active, true)))
		: [];
	if (!mediator) throw new AppError('FORBIDDEN');
	return mediator;
}

/** A photo of a paper signature: a JPEG or PNG by its content, within the size a realtime message carries. */
function paperPhoto(bytes: Uint8Array): PaperPhoto {
	if (bytes.length > MAX_PAPER_PHOTO_BYTES) throw new AppError('VALIDATION', { fields: { photo: ['too_large'] } });
	const mimeType = detectEvidenceType(bytes);
	if (mimeType !== 'image/jpeg' && mimeType !== 'image/png')
		throw new AppError('VALIDATION', { fields: { photo: ['not_image'] } });
	return { bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * A signer signs the frozen version on the device of one of the case's mediators, handed to them
 * in the office (线下调解). Only a mediator assigned to the case may run it, and only for a signer
 * the mediator marked present in the office at one of the case's sessions: being there is what
 * the mediator vouches for. The signer types their own PIN or password, checked and throttled as
 * on their own device; a party with neither signs on paper, and the mediator attests it with
 * their own password and a photo of that paper, kept with its SHA-256. The row and the audit
 * event say which, and whose device it was.
 */
export async function signInPerson(
	app: SigningDeps,
	draftId: string,
	input: InPersonSignatureInput,
	mediatorUserId: string | null,
	client: SigningClient
): Promise<void> {
	const photo = input.proof.kind === 'attested' ? paperPhoto(input.proof.photo) : null;
	await signFrozenVersion(app, draftId, input, client, async (draft): Promise<ProvenSigner> => {
		const { caseId } = draft;
		const mediator = await caseMediator(app.db, caseId, mediatorUserId);
		const signers = await draftSigners(app.db, draft);
		if (!signers.some((s) => s.key === input.signer))
			throw new AppError('VALIDATION', { fields: { signer: ['invalid'] } });
		const [present] = (await officeSigners(app.db, caseId, signers)).filter((s) => s.key === input.signer);
		if (!present) throw new AppError('FORBIDDEN', { fields: { signer: ['not_present'] } });
		const witness = { id: mediator.id, name: mediator.name };
		const { identity, ...signer } = present;
		if (input.proof.kind === 'secret') {
			if (!identity) throw new AppError('VALIDATION', { fields: { secret: ['no_proof'] } });
			await prove(app, caseId, identity, input.proof.secret, client, DRAFT_EVENTS[draft.kind].sign_refused);
			const method = identity.proof === 'pin' ? 'in_person_pin' : 'in_person_password';
			return { signer, method, actorId: null, witness, photo: null };
		}
		if (signer.role !== 'party') throw new AppError('FORBIDDEN', { fields: { signer: ['not_attestable'] } });
		const mediatorProof: SignerIdentity = {
			key: `user:${mediator.id}`,
			name: mediator.name,
			role: 'mediator',
			proof: 'password',
			passwordHash: mediator.passwordHash
		};
		await prove(app, caseId, mediatorProof, input.proof.password, client, DRAFT_EVENTS[draft.kind].sign_refused);
		return { signer, method: 'attested', actorId: mediator.id, witness, photo };
	});
}

/** Who the mediator may have sign the draft's frozen version on their device now: present, not yet signed. */
export async function listInPersonSigners(
	db: Db,
	draftId: string,
	mediatorUserId: string | null
): Promise<InPersonSignerView[]> {
	const [draft] = await db
		.select({
			caseId: agreementDrafts.caseId,
			kind: agreementDrafts.kind,
			sessionId: agreementDrafts.sessionId,
			versionId: agreementDrafts.frozenVersionId
		})
		.from(agreementDrafts)
		.where(eq(agreementDrafts.id, draftId));
	if (!draft) throw new AppError('NOT_FOUND');
	await caseMediator(db, draft.caseId, mediatorUserId);
	if (!draft.versionId) return [];
	const signed = await db
		.select({ signer: agreementSignatures.signer })
		.from(agreementSignatures)
		.where(eq(agreementSignatures.versionId, draft.versionId));
	const present = await officeSigners(db, draft.caseId, await draftSigners(db, draft));
	return officeSignerViews(present, new Set(signed.map((s) => s.signer)));
}
