import {
	verifyAgreementId,
	verifyDocumentId,
	verifyPdfFile,
	verifySha256
} from '#server/signing/verification/verify-sealed-document.ts';
import { AppError } from '$lib/shared/errors';
import { VERIFY_MAX_BYTES, type Verification } from '$lib/shared/verification';
import { clientOf } from './form-action';

type VerifyEvent = { locals: App.Locals; request: Request; getClientAddress(): string };

/** The multipart envelope around the file: boundaries and the form's other fields. */
const ENVELOPE_BYTES = 64 * 1024;

/** GET /verify with `sha256`, `agreement` or `document` (the QR codes' links): its answer, or null without any. */
export function verifyQuery(locals: App.Locals, url: URL): Promise<Verification> | null {
	const { db } = locals.app;
	const sha256 = url.searchParams.get('sha256');
	if (sha256 !== null) return verifySha256(db, { sha256 });
	const agreement = url.searchParams.get('agreement');
	if (agreement !== null) return verifyAgreementId(db, { agreement });
	const document = url.searchParams.get('document');
	if (document !== null) return verifyDocumentId(db, { document });
	return null;
}

/**
 * POST /verify with the PDF in the form field `file`: limited per address, and refused as too
 * large from its declared length before any of it is read.
 */
export async function verifyUpload(event: VerifyEvent): Promise<Verification> {
	const retryAfterSeconds = event.locals.app.verifyThrottle.take(clientOf(event).ip ?? 'unknown');
	if (retryAfterSeconds > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds });
	const length = Number(event.request.headers.get('content-length') ?? 0);
	if (length > VERIFY_MAX_BYTES + ENVELOPE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE');
	let data: FormData;
	try {
		data = await event.request.formData();
	} catch (error) {
		throw new AppError('VALIDATION', { fields: { file: ['required'] }, cause: error });
	}
	return verifyPdfFile(event.locals.app.db, { file: data.get('file') ?? undefined });
}
