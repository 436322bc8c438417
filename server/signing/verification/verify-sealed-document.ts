import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import {
	agreementQuerySchema,
	documentQuerySchema,
	sha256QuerySchema,
	VERIFY_MAX_BYTES,
	type Verification
} from '#shared/verification.ts';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { orgNodes, sealedAgreements, sealedDocuments, sealKeys } from '../../db/schema.ts';
import { parseInput } from '../../parse-input.ts';
import { readPdfSeal, type PdfSeal } from './read-pdf-seal.ts';

const NOTHING: Omit<Verification, 'status' | 'sha256'> = {
	kind: null,
	organisation: null,
	commonName: null,
	orgNodeName: null,
	sealedAt: null,
	level: null,
	timestampedAt: null,
	pages: null,
	supersededAt: null
};

type Lookup = { by: 'sha256' | 'id'; value: string };

/** A recorded seal as the verification tells it: in force or superseded, at the level its file shows. */
async function told<Row extends { pdf: Uint8Array; supersededAt: Date | null }>(row: Row) {
	const { pdf, ...rest } = row;
	const seal = await readPdfSeal(pdf);
	const status: Verification['status'] = row.supersededAt ? 'superseded' : 'authentic';
	return { status, ...rest, level: seal.level, timestampedAt: seal.timestampedAt };
}

/** The recorded agreement that matches, told only by its seal, date, pages and supersession. */
async function recordedAgreement(db: Db, lookup: Lookup): Promise<Verification | null> {
	const [row] = await db
		.select({
			sha256: sealedAgreements.sha256,
			organisation: sealKeys.organisation,
			commonName: sealKeys.commonName,
			orgNodeName: orgNodes.name,
			sealedAt: sealedAgreements.sealedAt,
			pages: sealedAgreements.pages,
			supersededAt: sealedAgreements.supersededAt,
			pdf: sealedAgreements.pdf
		})
		.from(sealedAgreements)
		.innerJoin(sealKeys, eq(sealKeys.id, sealedAgreements.sealKeyId))
		.innerJoin(orgNodes, eq(orgNodes.id, sealKeys.orgNodeId))
		.where(eq(sealedAgreements[lookup.by], lookup.value));
	return row ? { kind: 'agreement', ...(await told(row)) } : null;
}

/** The recorded document of another kind that matches, told the same way, with its kind. */
async function recordedDocument(db: Db, lookup: Lookup): Promise<Verification | null> {
	const [row] = await db
		.select({
			kind: sealedDocuments.kind,
			sha256: sealedDocuments.sha256,
			organisation: sealKeys.organisation,
			commonName: sealKeys.commonName,
			orgNodeName: orgNodes.name,
			sealedAt: sealedDocuments.sealedAt,
			pages: sealedDocuments.pages,
			supersededAt: sealedDocuments.supersededAt,
			pdf: sealedDocuments.pdf
		})
		.from(sealedDocuments)
		.innerJoin(sealKeys, eq(sealKeys.id, sealedDocuments.sealKeyId))
		.innerJoin(orgNodes, eq(orgNodes.id, sealKeys.orgNodeId))
		.where(eq(sealedDocuments[lookup.by], lookup.value));
	return row ? told(row) : null;
}

const recorded = async (db: Db, lookup: Lookup) =>
	(await recordedAgreement(db, lookup)) ?? (await recordedDocument(db, lookup));

/** A SHA-256 typed in: whether a sealed document of ours is the file that hashes to it. */
export async function verifySha256(db: Db, input: unknown): Promise<Verification> {
	const { sha256 } = parseInput(sha256QuerySchema, input);
	return (await recorded(db, { by: 'sha256', value: sha256 })) ?? { status: 'unknown', sha256, ...NOTHING };
}

/** The agreement a certificate page's QR code names. */
export async function verifyAgreementId(db: Db, input: unknown): Promise<Verification> {
	const { agreement } = parseInput(agreementQuerySchema, input);
	return (
		(await recordedAgreement(db, { by: 'id', value: agreement })) ?? { status: 'unknown', sha256: null, ...NOTHING }
	);
}

/** Another sealed document a certificate page's QR code names. */
export async function verifyDocumentId(db: Db, input: unknown): Promise<Verification> {
	const { document } = parseInput(documentQuerySchema, input);
	return (await recordedDocument(db, { by: 'id', value: document })) ?? { status: 'unknown', sha256: null, ...NOTHING };
}

const fileSchema = z.object({
	file: z.instanceof(Blob, { error: 'required' }).refine((file) => file.size > 0, 'empty_file')
});

/** The seal a file carries, or why it carries none; a file that is no PDF is refused. */
async function sealOf(pdf: Uint8Array): Promise<PdfSeal | 'not_sealed' | 'unreadable_seal'> {
	try {
		return await readPdfSeal(pdf);
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
	const seal = await sealOf(pdf);
	const found = await recorded(db, { by: 'sha256', value: sha256 });
	if (found) return found;
	if (seal === 'not_sealed') return { status: 'not_sealed', sha256, ...NOTHING };
	if (seal === 'unreadable_seal' || !seal.intact) return { status: 'altered', sha256, ...NOTHING };
	const [key] = await db
		.select({ organisation: sealKeys.organisation, commonName: sealKeys.commonName, orgNodeName: orgNodes.name })
		.from(sealKeys)
		.innerJoin(orgNodes, eq(orgNodes.id, sealKeys.orgNodeId))
		.where(eq(sealKeys.fingerprint, seal.certificateFingerprint));
	if (!key) return { status: 'unknown', sha256, ...NOTHING };
	return {
		...NOTHING,
		status: 'unrecorded',
		sha256,
		...key,
		sealedAt: seal.signedAt,
		level: seal.level,
		timestampedAt: seal.timestampedAt
	};
}
