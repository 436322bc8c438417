/**
 * The worker thread that builds and seals agreements, so that a PDF taking a few hundred
 * milliseconds never holds up the event loop that carries the live rooms. See DocumentSealer.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '#shared/errors.ts';
import { sealDocument } from './seal-document.ts';
import type { SealRequest, SealResponse } from './document-sealer.ts';

if (!parentPort) throw new Error('signing-worker.ts runs as a worker thread');
const port = parentPort;

port.on('message', async ({ id, input, key, options }: SealRequest) => {
	let response: SealResponse;
	try {
		response = { id, ok: true, result: await sealDocument(input, key, options) };
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
