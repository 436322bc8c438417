import { createHash } from 'node:crypto';
import { eq, type SQL } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { agreementQuerySchema, sha256QuerySchema, VERIFY_MAX_BYTES, type Verification } from '#shared/verification.ts';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { orgNodes, sealedAgreements, sealKeys } from '../../db/schema.ts';
import { parseInput } from '../../parse-input.ts';
import { readPdfSeal, type PdfSeal } from './read-pdf-seal.ts';

const NOTHING: Omit<Verification, 'status' | 'sha256'> = {
	organisation: null,
	commonName: null,
	orgNodeName: null,
	sealedAt: null,
	pages: null,
	supersededAt: null
};

/** The recorded agreement that matches, told only by its seal, date, pages and supersession. */
async function recorded(db: Db, where: SQL): Promise<Verification | null> {
	const [row] = await db
		.select({
			sha256: sealedAgreements.sha256,
			organisation: sealKeys.organisation,
			commonName: sealKeys.commonName,
			orgNodeName: orgNodes.name,
			sealedAt: sealedAgreements.sealedAt,
			pages: sealedAgreements.pages,
			supersededAt: sealedAgreements.supersededAt
		})
		.from(sealedAgreements)
		.innerJoin(sealKeys, eq(sealKeys.id, sealedAgreements.sealKeyId))
		.innerJoin(orgNodes, eq(orgNodes.id, sealKeys.orgNodeId))
		.where(where);
	return row ? { status: row.supersededAt ? 'superseded' : 'authentic', ...row } : null;
}

/** A SHA-256 typed in: whether a sealed agreement of ours is the file that hashes to it. */
export async function verifySha256(db: Db, input: unknown): Promise<Verification> {
	const { sha256 } = parseInput(sha256QuerySchema, input);
	return (await recorded(db, eq(sealedAgreements.sha256, sha256))) ?? { status: 'unknown', sha256, ...NOTHING };
}

/** The agreement a certificate page's QR code names. */
export async function verifyAgreementId(db: Db, input: unknown): Promise<Verification> {
	const { agreement } = parseInput(agreementQuerySchema, input);
	return (await recorded(db, eq(sealedAgreements.id, agreement))) ?? { status: 'unknown', sha256: null, ...NOTHING };
}

const fileSchema = z.object({
	file: z.instanceof(Blob, { error: 'required' }).refine((file) => file.size > 0, 'empty_file')
});

/** The seal a file carries, or why it carries none; a file that is no PDF is refused. */
function sealOf(pdf: Uint8Array): PdfSeal | 'not_sealed' | 'unreadable_seal' {
	try {
		return readPdfSeal(pdf);
	} catch (error) {
		const reason = error instanceof AppError ? error.fields?.file?.[0] : undefined;
		if (reason === 'not_sealed' || reason === 'unreadable_seal') return reason;
		throw error;
	}
}

/**
 * An uploaded PDF: found in the records by its SHA-256; otherwise its seal is read, and an intact
 * seal of one of our keys is reported as ours but unrecorded, a broken one as altered.
 */
export async function verifyPdfFile(db: Db, input: { file?: unknown }): Promise<Verification> {
	// Refused as too large (413), before anything of it is read.
	if (input.file instanceof Blob && input.file.size > VERIFY_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
	const { file } = parseInput(fileSchema, input);
	const pdf = new Uint8Array(await file.arrayBuffer());
	const sha256 = createHash('sha256').update(pdf).digest('hex');
	const seal = sealOf(pdf);
	const found = await recorded(db, eq(sealedAgreements.sha256, sha256));
	if (found) return found;
	if (seal === 'not_sealed') return { status: 'not_sealed', sha256, ...NOTHING };
	if (seal === 'unreadable_seal' || !seal.intact) return { status: 'altered', sha256, ...NOTHING };
	const [key] = await db
		.select({ organisation: sealKeys.organisation, commonName: sealKeys.commonName, orgNodeName: orgNodes.name })
		.from(sealKeys)
		.innerJoin(orgNodes, eq(orgNodes.id, sealKeys.orgNodeId))
		.where(eq(sealKeys.fingerprint, seal.certificateFingerprint));
	if (!key) return { status: 'unknown', sha256, ...NOTHING };
	return { ...NOTHING, status: 'unrecorded', sha256, ...key, sealedAt: seal.signedAt };
}
