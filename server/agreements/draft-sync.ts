import { toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as sync from 'y-protocols/sync';
import { AppError } from '#shared/errors.ts';
import type { DraftStore } from './draft-store.ts';

/** The y-protocols sync messages of a draft, in base64 as the draft events carry them. */

const invalid = () => new AppError('VALIDATION', { fields: { message: ['invalid'] } });

function syncMessage(write: (encoder: encoding.Encoder) => void): string {
	const encoder = encoding.createEncoder();
	write(encoder);
	return toBase64(encoding.toUint8Array(encoder));
}

/** An update as a sync message. */
export const updateMessage = (update: Uint8Array) => syncMessage((e) => sync.writeUpdate(e, update));

/**
 * A message someone sent: a step 1 (what they have, asking for the rest), or content (a step 2
 * answering the server's step 1, or an update). VALIDATION for anything else.
 */
export function readSyncMessage(message: Uint8Array): { step1: boolean; payload: Uint8Array } {
	let type: number;
	let payload: Uint8Array;
	try {
		const decoder = decoding.createDecoder(message);
		type = decoding.readVarUint(decoder);
		payload = decoding.readVarUint8Array(decoder);
	} catch {
		throw invalid();
	}
	if (type !== sync.messageYjsSyncStep1 && type !== sync.messageYjsSyncStep2 && type !== sync.messageYjsUpdate) {
		throw invalid();
	}
	return { step1: type === sync.messageYjsSyncStep1, payload };
}

/**
 * The answer to someone's step 1: what the draft has that they lack, and the server's own step 1.
 * Answered from what is stored: nobody gets content a failed write would take back.
 */
export function answerSyncStep1(drafts: DraftStore, draftId: string, stateVector: Uint8Array): Promise<string[]> {
	return drafts.serially(draftId, async ({ doc }) => {
		try {
			return [
				syncMessage((e) => sync.writeSyncStep2(e, doc, stateVector)),
				syncMessage((e) => sync.writeSyncStep1(e, doc))
			];
		} catch {
			throw invalid();
		}
	});
}
