import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agreementSignatures, caseParties, storedFiles, users } from '../../db/schema.ts';
import { documentLabels } from '../pdf/document-labels.ts';
import type { DocumentPdfInput } from '../pdf/document-pdf-input.ts';
import { describeDevice } from './describe-device.ts';

const LANGUAGE = 'zh-CN';

/**
 * The signatures on a frozen version as a sealed document prints them, in the order its signers
 * are listed (`order`, their keys): each signer's role as the signature lines name it, their
 * drawn signature, time, address, device, and how they signed (on their own device, in person on
 * a mediator's, or attested with the photo's SHA-256).
 */
export async function printedSigners(
	db: Db,
	caseId: string,
	versionId: string,
	order: readonly string[]
): Promise<DocumentPdfInput['signers']> {
	const [parties, signatures] = await Promise.all([
		db.select({ id: caseParties.id, side: caseParties.side }).from(caseParties).where(eq(caseParties.caseId, caseId)),
		db
			.select({ signature: agreementSignatures, witness: users.displayName, paperPhotoSha256: storedFiles.sha256 })
			.from(agreementSignatures)
			.leftJoin(users, eq(users.id, agreementSignatures.witnessedById))
			.leftJoin(storedFiles, eq(storedFiles.id, agreementSignatures.paperPhotoId))
			.where(eq(agreementSignatures.versionId, versionId))
	]);
	const labels = documentLabels(LANGUAGE);
	const sideOf = new Map(parties.map((p) => [`party:${p.id}`, labels.roles[p.side]]));
	// Anyone not on the list (none should be) after those who are.
	const place = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
	return signatures
		.toSorted((a, b) => place(a.signature.signer) - place(b.signature.signer))
		.map(({ signature: s, witness, paperPhotoSha256 }) => ({
			name: s.name,
			role: sideOf.get(s.signer) ?? labels.roles[s.role as 'mediator' | 'expert' | 'recorder'],
			signature: new Uint8Array(s.image),
			signedAt: s.signedAt,
			ip: s.ip ?? '—',
			device: describeDevice(s.userAgent, LANGUAGE),
			method: s.method,
			witness: witness ?? undefined,
			paperPhotoSha256: paperPhotoSha256 ?? undefined
		}));
}
