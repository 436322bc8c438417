import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type FieldErrors } from '#shared/errors.ts';
import type { Logger } from '../log.ts';
import type { DocumentPdfInput } from './pdf/document-pdf-input.ts';
import type { DossierPdfInput } from './pdf/dossier-pdf-input.ts';
import type { SealedDocument, SealedDossier, SealOptions } from './seal-document.ts';
import type { TimestampAuthority } from './pades/request-timestamp.ts';
import type { SealKey } from './seal-keys/seal-key.ts';

/** What the worker builds and seals: a document of record, or the case file that binds them. */
export type SealJob = { kind: 'document'; input: DocumentPdfInput } | { kind: 'dossier'; input: DossierPdfInput };
export type SealRequest = { id: number; job: SealJob; key: SealKey; options: SealOptions };
export type SealResponse =
	| { id: number; ok: true; result: SealedDocument | SealedDossier }
	| { id: number; ok: false; error: { code: ErrorCode; fields?: FieldErrors; detail: string } };

type Pending = { resolve: (result: SealedDocument | SealedDossier) => void; reject: (error: AppError) => void };

/*
 * The worker runs from source, as the server does (`node server/index.ts`, Node's type
 * stripping), so this path holds in development, in tests and in production alike. Keep the
 * sealer on the app's services (server/app.ts), not in code that Vite bundles.
 */
const WORKER_FILE = new URL('./signing-worker.ts', import.meta.url);
/** A runaway build ends the worker, not the server. */
const WORKER_HEAP_MB = 512;

/**
 * Builds and seals documents on one long-lived worker thread, one at a time in order of call.
 * A failure comes back as a rejected AppError; a worker that dies takes its pending jobs with it
 * (rejected as INTERNAL) and the next call starts a fresh one.
 */
export class DocumentSealer {
	readonly #log: Logger;
	readonly #timestampAuthority: TimestampAuthority | undefined;
	readonly #pending = new Map<number, Pending>();
	#worker: Worker | null = null;
	#nextId = 1;
	#closed = false;

	/** With a timestamp authority, every seal is stamped and carries its validation data (PAdES B-LT). */
	constructor(options: { log: Logger; timestampAuthority?: TimestampAuthority }) {
		this.#log = options.log;
		this.#timestampAuthority = options.timestampAuthority;
	}

	/** The document as a sealed PDF with its SHA-256, page count and any characters printed as 〓. */
	seal(input: DocumentPdfInput, key: SealKey, options: SealOptions = {}): Promise<SealedDocument> {
		return this.#run({ kind: 'document', input }, key, options) as Promise<SealedDocument>;
	}

	/** The case file bound as one sealed PDF, with where each of its documents starts. */
	sealDossier(input: DossierPdfInput, key: SealKey, options: SealOptions = {}): Promise<SealedDossier> {
		return this.#run({ kind: 'dossier', input }, key, options) as Promise<SealedDossier>;
	}

	#run(job: SealJob, key: SealKey, options: SealOptions): Promise<SealedDocument | SealedDossier> {
		if (this.#closed) return Promise.reject(new AppError('INTERNAL', { cause: new Error('sealer closed') }));
		const id = this.#nextId++;
		const worker = this.#ensureWorker();
		return new Promise<SealedDocument | SealedDossier>((resolve, reject) => {
			try {
				const withAuthority = { timestampAuthority: this.#timestampAuthority, ...options };
				worker.postMessage({ id, job, key, options: withAuthority } satisfies SealRequest);
			} catch (error) {
				// Only values that survive structured cloning cross to the worker.
				reject(new AppError('VALIDATION', { fields: { input: ['not_cloneable'] }, cause: error }));
				return;
			}
			this.#pending.set(id, { resolve, reject });
			worker.ref();
		}).then((result) => {
			if (result.replacedCharacters.length) {
				this.#log.warn(
					{ caseNumber: job.input.caseNumber, characters: result.replacedCharacters },
					'sealed PDF: characters no font has were printed as 〓'
				);
			}
			if (result.stampFailure) {
				this.#log.warn(
					{ caseNumber: job.input.caseNumber, reason: result.stampFailure },
					'sealed PDF without a timestamp (PAdES B-B): the timestamp authority gave none'
				);
			}
			return result;
		});
	}

	#ensureWorker(): Worker {
		if (this.#worker) return this.#worker;
		const worker = new Worker(WORKER_FILE, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
		worker.unref();
		worker.on('message', (response: SealResponse) => this.#settle(response));
		worker.on('error', (error: Error) => {
			this.#log.error({ err: error }, 'signing worker failed');
			this.#abandon(worker, error);
		});
		worker.on('exit', (code) => this.#abandon(worker, new Error(`signing worker exited with code ${code}`)));
		this.#worker = worker;
		return worker;
	}

	#settle(response: SealResponse): void {
		const pending = this.#pending.get(response.id);
		if (!pending) return;
		this.#pending.delete(response.id);
		if (this.#pending.size === 0) this.#worker?.unref();
		if (response.ok) return pending.resolve(response.result);
		if (response.error.code === 'INTERNAL')
			this.#log.error({ detail: response.error.detail }, 'sealing a document failed');
		pending.reject(
			new AppError(response.error.code, { fields: response.error.fields, cause: new Error(response.error.detail) })
		);
	}

	/** Rejects every job the worker held, and forgets the worker. */
	#abandon(worker: Worker, cause: Error): void {
		if (this.#worker !== worker) return;
		this.#worker = null;
		for (const pending of this.#pending.values()) pending.reject(new AppError('INTERNAL', { cause }));
		this.#pending.clear();
	}

	/** Ends the worker; jobs still running are rejected. Calling it again does nothing. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		const worker = this.#worker;
		if (!worker) return;
		await worker.terminate();
		this.#abandon(worker, new Error('sealer closed'));
	}
}
