import { contentDisposition } from '#server/content-disposition.ts';
import { documentLabels } from '#server/signing/pdf/document-labels.ts';
import type { SealedKind } from '$lib/shared/documents';

type SealedPdf = { pdf: Uint8Array; sha256: string; caseNumber: string; kind?: SealedKind };

/**
 * A sealed document (the agreement unless `kind` says otherwise) as a download named after it,
 * never cached, with its SHA-256 for whoever checks it.
 */
export function sealedPdfResponse(sealed: SealedPdf): Response {
	const kind = sealed.kind ?? 'agreement';
	return new Response(new Uint8Array(sealed.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition(
				'attachment',
				`${documentLabels('zh-CN').titles[kind]}-${sealed.caseNumber}.pdf`,
				`${kind.replaceAll('_', '-')}-${sealed.caseNumber}.pdf`
			),
			'cache-control': 'private, no-store',
			// Some of its addresses (a party's private link) are keys: keep them out of Referer headers.
			'referrer-policy': 'no-referrer',
			'x-content-sha256': sealed.sha256
		}
	});
}
