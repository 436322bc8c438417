import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { CaseEventType } from '#shared/case-events.ts';
import { AppError } from '#shared/errors.ts';
import { MAX_PIN_FAILURES } from '#shared/sessions.ts';
import { DRAFT_EVENTS } from '#shared/mediation-record.ts';
import { PNG_SIGNATURE, type SignatureMethod } from '#shared/signing.ts';
import type { DraftTarget } from '../../agreements/draft-role.ts';
import type { DraftStore } from '../../agreements/draft-store.ts';
import { recordCaseEvent } from '../../audit/record-case-event.ts';
import type { LoginThrottle } from '../../auth/login-throttle.ts';
import { verifyPassword } from '../../auth/password.ts';
import type { Db } from '../../db/client.ts';
import {
	agreementDrafts,
	agreementSignatures,
	sealedAgreements,
	sealedDocuments,
	sessionParticipants,
	storedFiles
} from '../../db/schema.ts';
import type { RoomIdentity } from '../../sessions/participant-of.ts';
import { signerFor, type CaseSigner, type SignerIdentity } from './case-signers.ts';

export type SignatureInput = { versionId: string; signature: Uint8Array; secret: string };
export type SigningClient = { ip: string | null; userAgent: string | null };
/** What signing works with: the draft's order, the database, and the throttle of wrong passwords. */
export type SigningDeps = { db: Db; drafts: DraftStore; loginThrottle: LoginThrottle };

/** A drawn signature: a PNG whose header names a size a signature pad gives. */
export function checkSignatureImage(png: Uint8Array): void {
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
	const isPng = png.length > 24 && PNG_SIGNATURE.every((byte, i) => png[i] === byte);
	// The first chunk of a PNG is IHDR: width and height at bytes 16 and 20.
	const width = isPng ? view.getUint32(16) : 0;
	const height = isPng ? view.getUint32(20) : 0;
	if (!isPng || width < 40 || width > 4000 || height < 20 || height > 2000) {
		throw new AppError('VALIDATION', { fields: { signature: ['invalid'] } });
	}
}

/** A photo of a signature put on paper, checked to be a JPEG or PNG, with its SHA-256. */
export type PaperPhoto = { bytes: Uint8Array; mimeType: string; sha256: string };

/** Who signs, proven, and how: what the signature row and its audit event keep. */
export type ProvenSigner = {
	signer: CaseSigner;
	method: SignatureMethod;
	/** The account acting: the signer's own on their device; the mediator's for an attestation. */
	actorId: string | null;
	/** The mediator on whose device the signature was made, or who attested it. */
	witness: { id: string; name: string } | null;
	photo: PaperPhoto | null;
};

/** Each way of signing as the case's audit log names it, for the kind of draft signed. */
const signedAction = (draft: DraftTarget, method: SignatureMethod) =>
	DRAFT_EVENTS[draft.kind][
		method === 'own_device' ? 'signed' : method === 'attested' ? 'signature_attested' : 'signed_in_person'
	];

/**
 * Someone signs the version of a draft (the case's agreement, a session's record) frozen for
 * signing on their own device: they must be one of its
 * signers and prove it (account password, or the PIN of their invitation); their drawn
 * signature, the time, address and browser are kept and recorded in the case's audit log.
 */
export async function signAgreement(
	app: SigningDeps,
	draftId: string,
	input: SignatureInput,
	identity: RoomIdentity,
	client: SigningClient
): Promise<void> {
	return signFrozenVersion(app, draftId, input, client, async (draft) => {
		const signer = await signerFor(app.db, identity, draft);
		if (!signer) throw new AppError('FORBIDDEN');
		await prove(app, draft.caseId, signer, input.secret, client, DRAFT_EVENTS[draft.kind].sign_refused);
		const actorId = 'actor' in identity ? identity.actor.id : null;
		return { signer, method: 'own_device', actorId, witness: null, photo: null };
	});
}

/**
 * Stores a signature on the draft's frozen version once `authenticate` has said whose it is and
 * how it was proven, with its audit event. Runs in the draft's order, so an edit that supersedes
 * the version cannot slip between the check and the signature. Every way of signing (own device,
 * in person, attested) goes through here.
 */
export async function signFrozenVersion(
	app: SigningDeps,
	draftId: string,
	input: { versionId: string; signature: Uint8Array },
	client: SigningClient,
	authenticate: (draft: DraftTarget) => Promise<ProvenSigner>
): Promise<void> {
	checkSignatureImage(input.signature);
	return app.drafts.serially(draftId, async (draft) => {
		const [row] = await app.db
			.select({ frozenVersionId: agreementDrafts.frozenVersionId })
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draftId));
		// Not frozen, or an edit superseded it: there is nothing, or something else, to sign.
		if (row?.frozenVersionId !== input.versionId) throw new AppError('CONFLICT');
		// Sealed already: a signature now would be on no PDF.
		const [sealed] =
			draft.kind === 'agreement'
				? await app.db
						.select({ id: sealedAgreements.id })
						.from(sealedAgreements)
						.where(eq(sealedAgreements.versionId, input.versionId))
				: await app.db
						.select({ id: sealedDocuments.id })
						.from(sealedDocuments)
						.where(eq(sealedDocuments.versionId, input.versionId));
		if (sealed) throw new AppError('CONFLICT', { fields: { signature: ['sealed'] } });
		const { signer, method, actorId, witness, photo } = await authenticate(draft);
		const signedAt = new Date();
		await app.db.transaction(async (tx) => {
			const [file] = photo
				? await tx
						.insert(storedFiles)
						.values({
							sha256: photo.sha256,
							mimeType: photo.mimeType,
							size: photo.bytes.length,
							content: Buffer.from(photo.bytes)
						})
						.returning({ id: storedFiles.id })
				: [];
			const [stored] = await tx
				.insert(agreementSignatures)
				.values({
					versionId: input.versionId,
					signer: signer.key,
					role: signer.role,
					name: signer.name,
					image: Buffer.from(input.signature),
					signedAt,
					ip: client.ip,
					userAgent: client.userAgent,
					method,
					witnessedById: witness?.id ?? null,
					paperPhotoId: file?.id ?? null
				})
				.onConflictDoNothing()
				.returning({ id: agreementSignatures.id });
			if (!stored) throw new AppError('CONFLICT', { fields: { signature: ['already_signed'] } });
			await recordCaseEvent(tx, {
				caseId: draft.caseId,
				actorId,
				actorLabel: method === 'attested' ? witness?.name : signer.name,
				action: signedAction(draft, method),
				data: {
					draftId,
					versionId: input.versionId,
					signer: signer.key,
					signerName: signer.name,
					role: signer.role,
					method,
					signedAt: signedAt.toISOString(),
					userAgent: client.userAgent,
					imageSha256: createHash('sha256').update(input.signature).digest('hex'),
					...(witness && { witnessedById: witness.id, witnessName: witness.name }),
					...(photo && { paperPhotoSha256: photo.sha256 })
				},
				ip: client.ip
			});
		});
	});
}

/**
 * The signer's password or PIN, refused as INVALID_CREDENTIALS when wrong and recorded in the
 * case's audit log as `refused`. Wrong PINs count against the invitation as at joining (after
 * MAX_PIN_FAILURES it is locked); wrong passwords count like failed log-ins.
 */
export async function prove(
	app: Pick<SigningDeps, 'db' | 'loginThrottle'>,
	caseId: string,
	signer: SignerIdentity,
	secret: string,
	client: SigningClient,
	refused: CaseEventType
) {
	const ip = client.ip ?? 'unknown';
	const throttleKey = `sign:${signer.key}`;
	if (signer.proof === 'password') {
		const retryAfterSeconds = app.loginThrottle.reserve(ip, throttleKey);
		if (retryAfterSeconds) throw new AppError('RATE_LIMITED', { retryAfterSeconds });
		if (await verifyPassword(signer.passwordHash, secret)) return app.loginThrottle.reservedSucceeded(ip, throttleKey);
	} else {
		const failures = await app.db.transaction(async (tx) => {
			const [participant] = await tx
				.select({ failed: sessionParticipants.failedPinAttempts })
				.from(sessionParticipants)
				.where(eq(sessionParticipants.id, signer.participantId))
				.for('update');
			if (participant.failed >= MAX_PIN_FAILURES) throw new AppError('FORBIDDEN', { fields: { secret: ['locked'] } });
			if (await verifyPassword(signer.pinHash, secret)) return null;
			await tx
				.update(sessionParticipants)
				.set({ failedPinAttempts: participant.failed + 1 })
				.where(eq(sessionParticipants.id, signer.participantId));
			return participant.failed + 1;
		});
		if (failures === null) return;
	}
	await app.db.transaction((tx) =>
		recordCaseEvent(tx, {
			caseId,
			actorLabel: signer.name,
			action: refused,
			data: { signer: signer.key, proof: signer.proof },
			ip: client.ip
		})
	);
	throw new AppError('INVALID_CREDENTIALS', { fields: { secret: ['wrong'] } });
}
