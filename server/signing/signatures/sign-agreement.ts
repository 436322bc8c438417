import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { MAX_PIN_FAILURES } from '#shared/sessions.ts';
import { PNG_SIGNATURE } from '#shared/signing.ts';
import type { DraftStore } from '../../agreements/draft-store.ts';
import { recordCaseEvent } from '../../audit/record-case-event.ts';
import type { LoginThrottle } from '../../auth/login-throttle.ts';
import { verifyPassword } from '../../auth/password.ts';
import type { Db } from '../../db/client.ts';
import { agreementDrafts, agreementSignatures, sealedAgreements, sessionParticipants } from '../../db/schema.ts';
import type { RoomIdentity } from '../../sessions/participant-of.ts';
import { signerFor, type SignerIdentity } from './case-signers.ts';

export type SignatureInput = { versionId: string; signature: Uint8Array; secret: string };
export type SigningClient = { ip: string | null; userAgent: string | null };
/** What signing works with: the draft's order, the database, and the throttle of wrong passwords. */
type SigningDeps = { db: Db; drafts: DraftStore; loginThrottle: LoginThrottle };

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

/**
 * Someone signs the version of a case's agreement frozen for signing: they must be one of its
 * signers and prove it (account password, or the PIN of their invitation); their drawn
 * signature, the time, address and browser are kept and recorded in the case's audit log. Runs in
 * the draft's order, so an edit that supersedes the version cannot slip between the check and the
 * signature.
 */
export async function signAgreement(
	app: SigningDeps,
	draftId: string,
	input: SignatureInput,
	identity: RoomIdentity,
	client: SigningClient
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
		const [sealed] = await app.db
			.select({ id: sealedAgreements.id })
			.from(sealedAgreements)
			.where(eq(sealedAgreements.versionId, input.versionId));
		if (sealed) throw new AppError('CONFLICT', { fields: { signature: ['sealed'] } });
		const signer = await signerFor(app.db, identity, draft.caseId);
		if (!signer) throw new AppError('FORBIDDEN');
		await prove(app, draft.caseId, signer, input.secret, client, 'agreement.sign_refused');
		const signedAt = new Date();
		await app.db.transaction(async (tx) => {
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
					userAgent: client.userAgent
				})
				.onConflictDoNothing()
				.returning({ id: agreementSignatures.id });
			if (!stored) throw new AppError('CONFLICT', { fields: { signature: ['already_signed'] } });
			await recordCaseEvent(tx, {
				caseId: draft.caseId,
				actorId: 'actor' in identity ? identity.actor.id : null,
				actorLabel: signer.name,
				action: 'agreement.signed',
				data: {
					draftId,
					versionId: input.versionId,
					signer: signer.key,
					role: signer.role,
					signedAt: signedAt.toISOString(),
					userAgent: client.userAgent,
					imageSha256: createHash('sha256').update(input.signature).digest('hex')
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
	refused: 'agreement.sign_refused' | 'oral_agreement.sign_refused'
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
