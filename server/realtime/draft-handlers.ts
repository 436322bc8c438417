import type { LiveDrafts } from '../agreements/live-drafts.ts';
import type { Logger } from '../log.ts';
import { onCommand, type AppSocket } from './command-handler.ts';

const EMPTY = {} as Record<string, never>;
const empty = () => EMPTY;

/**
 * The `draft:*` commands of one connection: each is one call to the connection's visit of the
 * live drafts (server/agreements), which checks who may do what and tells the others.
 */
export function registerDraftHandlers(log: Logger, socket: AppSocket, drafts: LiveDrafts): void {
	const visit = drafts.visit({
		connection: socket.id,
		identity: socket.data.identity,
		userId: socket.data.actor?.id ?? null,
		ip: socket.handshake.address || null,
		userAgent: socket.handshake.headers['user-agent']?.slice(0, 500) ?? null,
		gone: () => socket.disconnected
	});
	socket.on('disconnect', () => visit.end());

	onCommand(log, socket, 'draft:open', (request) => visit.open(request));
	onCommand(log, socket, 'draft:close', ({ draftId }) => visit.close(draftId).then(empty));
	onCommand(log, socket, 'draft:sync', async ({ draftId, message }) => ({
		messages: await visit.sync(draftId, message)
	}));
	onCommand(log, socket, 'draft:awareness', ({ draftId, update }) => visit.awareness(draftId, update).then(empty));
	onCommand(log, socket, 'draft:setPartiesMayEdit', ({ draftId, allowed }) =>
		visit.setPartiesMayEdit(draftId, allowed).then(empty)
	);
	onCommand(log, socket, 'draft:saveVersion', ({ draftId, name }) => visit.saveVersion(draftId, name));
	onCommand(log, socket, 'draft:restoreVersion', ({ draftId, versionId }) =>
		visit.restoreVersion(draftId, versionId).then(empty)
	);
	onCommand(log, socket, 'draft:freeze', ({ draftId, versionId }) => visit.freeze(draftId, versionId));
	onCommand(log, socket, 'draft:setRecordOutcome', ({ draftId, outcome }) =>
		visit.setRecordOutcome(draftId, outcome).then(empty)
	);
	onCommand(log, socket, 'draft:unfreeze', ({ draftId }) => visit.unfreeze(draftId).then(empty));
	onCommand(log, socket, 'draft:sign', ({ draftId, ...signature }) => visit.sign(draftId, signature).then(empty));
	onCommand(log, socket, 'draft:inPersonSigners', async ({ draftId }) => ({
		signers: await visit.inPersonSigners(draftId)
	}));
	onCommand(log, socket, 'draft:signInPerson', ({ draftId, ...signature }) =>
		visit.signInPerson(draftId, signature).then(empty)
	);
	onCommand(log, socket, 'draft:seal', ({ draftId }) => visit.seal(draftId).then(empty));
	onCommand(log, socket, 'draft:comment', ({ draftId, ...comment }) => visit.comment(draftId, comment));
	onCommand(log, socket, 'draft:resolveComment', ({ draftId, commentId }) =>
		visit.resolveComment(draftId, commentId).then(empty)
	);
}
