/**
 * The worker thread that builds and seals documents, so that a PDF taking a few hundred
 * milliseconds never holds up the event loop that carries the live rooms. See DocumentSealer.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '#shared/errors.ts';
import { sealDocument, sealDossier } from './seal-document.ts';
import type { SealRequest, SealResponse } from './document-sealer.ts';

if (!parentPort) throw new Error('signing-worker.ts runs as a worker thread');
const port = parentPort;

port.on('message', async ({ id, job, key, options }: SealRequest) => {
	let response: SealResponse;
	try {
		const result =
			job.kind === 'dossier' ? await sealDossier(job.input, key, options) : await sealDocument(job.input, key, options);
		response = { id, ok: true, result };
	} catch (error) {
		const known = error instanceof AppError;
		response = {
			id,
			ok: false,
			error: {
				code: known ? error.code : 'INTERNAL',
				fields: known ? error.fields : undefined,
				detail:
					error instanceof Error
						? `${error.message}${known && error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
						: String(error)
			}
		};
	}
	port.postMessage(response, response.ok ? [response.result.pdf.buffer as ArrayBuffer] : []);
});
