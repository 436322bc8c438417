import { contentDisposition } from '#server/content-disposition.ts';
import type { currentSealedPdf } from '#server/signing/signatures/download-sealed-agreement.ts';

type SealedPdf = NonNullable<Awaited<ReturnType<typeof currentSealedPdf>>>;

/** A sealed agreement as a download, never cached, with its SHA-256 for whoever checks it. */
export function sealedPdfResponse(sealed: SealedPdf): Response {
	return new Response(new Uint8Array(sealed.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition(
				'attachment',
				`人民调解协议书-${sealed.caseNumber}.pdf`,
				`agreement-${sealed.caseNumber}.pdf`
			),
			'cache-control': 'private, no-store',
			// Some of its addresses (a party's private link) are keys: keep them out of Referer headers.
			'referrer-policy': 'no-referrer',
			'x-content-sha256': sealed.sha256
		}
	});
}
