import { fromBase64 } from 'lib0/buffer';
import { z } from 'zod';
import type { types } from 'mediasoup-client';
import type { Reply } from './errors.ts';
import type { Actor } from './roles.ts';
import type { DraftRole } from './agreement.ts';
import { DRAFT_LIMITS } from './draft-limits.ts';
import { recordOutcomeSchema, type DraftKind, type RecordView } from './mediation-record.ts';
import type { ParticipantRole } from './sessions.ts';
import {
	MAX_PAPER_PHOTO_BYTES,
	MAX_SIGNATURE_BYTES,
	type InPersonSignerView,
	type SignerProof,
	type SigningView
} from './signing.ts';

/** For ids of transports, producers, consumers and peers: mediasoup's are UUIDs, caucuses prefix one. */
const id = z.string().min(1).max(100);
/**
 * mediasoup checks these in depth; here only that they are plain objects, which the server's
 * mediasoup reads as the browser's mediasoup-client declares them.
 */
const record = z.record(z.string(), z.unknown());
const mediaObject = <T extends object>() => z.custom<T>((value) => record.safeParse(value).success);
const peerIdOnly = z.object({ peerId: id }).strict();

export const MEDIA_SOURCES = ['mic', 'camera', 'screen'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
/**
 * Room chat: the longest message; how many one person may send at once, then how many a second
 * (kept per person, so a new connection does not refill it); how many messages a space shows on
 * arrival, and each time earlier ones are asked for.
 */
export const CHAT_LIMITS = { length: 2000, burst: 5, perSecond: 0.5, page: 50 } as const;

/** Binary payloads arrive on the server as Buffers, which are Uint8Arrays. */
const bytes = (max: number) =>
	z
		.custom<Uint8Array>((value) => value instanceof Uint8Array, 'invalid')
		.refine((value) => value.length <= max, 'too_large');

/**
 * A draft's Yjs messages travel as base64 text, and handlers get their bytes. Socket.io sends a
 * packet carrying binary as two WebSocket frames, and every keystroke goes to everyone in the
 * draft: one frame a message halves the writes, and for a keystroke's few bytes the text is
 * shorter than the binary placeholder.
 */
const yjsBytes = (max: number) =>
	z
		.base64('invalid')
		.transform((text): Uint8Array => fromBase64(text))
		.pipe(bytes(max));

/**
 * The realtime protocol. Commands (client → server) carry one payload and an
 * acknowledgement; facts (server → client) carry one payload. Every command
 * payload is checked against its schema here before a handler sees it.
 * `room:*` commands act in the room the connection joined with `room:join`.
 */
export const COMMAND_SCHEMAS = {
	'account:whoami': z.object({}).strict(),
	'room:join': z.object({ sessionId: z.uuid() }).strict(),
	'room:leave': z.object({}).strict(),
	'room:admit': peerIdOnly,
	'room:admitAll': z.object({}).strict(),
	'room:refuse': peerIdOnly,
	'room:sendToLobby': peerIdOnly,
	'room:remove': peerIdOnly,
	'room:mute': z.object({ peerId: id, source: z.enum(MEDIA_SOURCES) }).strict(),
	'room:openCaucus': z.object({ memberIds: z.array(id).min(1).max(20) }).strict(),
	'room:closeCaucus': z.object({ caucusId: id }).strict(),
	'room:end': z.object({}).strict(),
	'room:createTransport': z.object({ direction: z.enum(['send', 'recv']) }).strict(),
	'room:connectTransport': z
		.object({ transportId: id, dtlsParameters: mediaObject<BrowserMedia['dtlsParameters']>() })
		.strict(),
	'room:restartIce': z.object({ transportId: id }).strict(),
	'room:produce': z
		.object({
			transportId: id,
			kind: z.enum(['audio', 'video']),
			rtpParameters: mediaObject<BrowserMedia['rtpParameters']>(),
			source: z.enum(MEDIA_SOURCES)
		})
		.strict(),
	'room:closeProducer': z.object({ producerId: id }).strict(),
	'room:pauseProducer': z.object({ producerId: id }).strict(),
	'room:resumeProducer': z.object({ producerId: id }).strict(),
	'room:consume': z
		.object({ producerId: id, rtpCapabilities: mediaObject<BrowserMedia['rtpCapabilities']>() })
		.strict(),
	'room:resumeConsumer': z.object({ consumerId: id }).strict(),
	'room:setLayers': z.object({ consumerId: id, spatialLayer: z.int().min(0).max(2) }).strict(),
	'room:chat': z.object({ body: z.string().trim().min(1, 'required').max(CHAT_LIMITS.length, 'too_long') }).strict(),
	/** The page of the chat of the person's space said before the message `before`. */
	'room:chatEarlier': z.object({ before: z.uuid() }).strict(),
	/** The case's agreement (`caseId`), or a mediation session's record (`sessionId`, with its case if known). */
	'draft:open': z
		.object({ caseId: z.uuid().optional(), sessionId: z.uuid().optional() })
		.strict()
		.refine((v) => v.caseId || v.sessionId, { error: 'required', path: ['caseId'] }),
	'draft:close': z.object({ draftId: z.uuid() }).strict(),
	'draft:sync': z.object({ draftId: z.uuid(), message: yjsBytes(DRAFT_LIMITS.updateBytes + 64) }).strict(),
	'draft:awareness': z.object({ draftId: z.uuid(), update: yjsBytes(DRAFT_LIMITS.awarenessBytes) }).strict(),
	'draft:setPartiesMayEdit': z.object({ draftId: z.uuid(), allowed: z.boolean() }).strict(),
	'draft:saveVersion': z
		.object({ draftId: z.uuid(), name: z.string().trim().min(1).max(DRAFT_LIMITS.versionNameLength) })
		.strict(),
	'draft:restoreVersion': z.object({ draftId: z.uuid(), versionId: z.uuid() }).strict(),
	'draft:freeze': z.object({ draftId: z.uuid(), versionId: z.uuid() }).strict(),
	'draft:unfreeze': z.object({ draftId: z.uuid() }).strict(),
	/** A record's result (agreed, failed with its reason and next steps, adjourned), set before freezing. */
	'draft:setRecordOutcome': z.object({ draftId: z.uuid(), outcome: recordOutcomeSchema }).strict(),
	'draft:sign': z
		.object({
			draftId: z.uuid(),
			versionId: z.uuid(),
			signature: bytes(MAX_SIGNATURE_BYTES),
			/** The signer's account password, or the PIN of their invitation. */
			secret: z.string().min(1).max(200)
		})
		.strict(),
	/** A mediator's device: who present in the office may sign there now. */
	'draft:inPersonSigners': z.object({ draftId: z.uuid() }).strict(),
	/** A signer present in the office signs on the mediator's device (the connection is the mediator's). */
	'draft:signInPerson': z
		.object({
			draftId: z.uuid(),
			versionId: z.uuid(),
			/** The signer's key, as the signing view lists it. */
			signer: z.string().min(1).max(100),
			signature: bytes(MAX_SIGNATURE_BYTES),
			proof: z.discriminatedUnion('kind', [
				/** The signer's own PIN or password, typed by them. */
				z.object({ kind: z.literal('secret'), secret: z.string().min(1).max(200) }).strict(),
				/** The mediator's own password, and a photo of the signature the signer put on paper. */
				z
					.object({
						kind: z.literal('attested'),
						password: z.string().min(1).max(200),
						photo: bytes(MAX_PAPER_PHOTO_BYTES)
					})
					.strict()
			])
		})
		.strict(),
	'draft:seal': z.object({ draftId: z.uuid() }).strict(),
	'draft:comment': z
		.object({
			draftId: z.uuid(),
			kind: z.enum(['comment', 'suggestion']),
			quote: z.string().max(DRAFT_LIMITS.commentLength, 'too_long').optional(),
			body: z.string().trim().min(1, 'required').max(DRAFT_LIMITS.commentLength, 'too_long')
		})
		.strict(),
	'draft:resolveComment': z.object({ draftId: z.uuid(), commentId: z.uuid() }).strict()
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export type CommandPayload<E extends CommandName> = z.input<(typeof COMMAND_SCHEMAS)[E]>;

/**
 * The RTP, ICE and DTLS shapes that media replies and facts carry. The server's mediasoup and the
 * browser's mediasoup-client each declare them, alike but for details (a header extension URI only
 * the server names): each side reads this contract with its own library's, the browser's by default.
 */
export type MediaTypes = {
	rtpCapabilities: object;
	rtpParameters: object;
	iceParameters: object;
	iceCandidate: object;
	dtlsParameters: object;
};
export type BrowserMedia = {
	rtpCapabilities: types.RtpCapabilities;
	rtpParameters: types.RtpParameters;
	iceParameters: types.IceParameters;
	iceCandidate: types.IceCandidate;
	dtlsParameters: types.DtlsParameters;
};

/** Where a peer is: waiting in the lobby, in the joint session, or in one private caucus. */
export type SpaceId = 'lobby' | 'joint' | `caucus:${string}`;
/**
 * `host`: runs the room, as its mediators do (and a consultation's legal expert). `noticePending`:
 * a party of a mediation who has not acknowledged the rights and duties notice in force, and waits
 * in the lobby until they do.
 */
export type PeerView = {
	id: string;
	displayName: string;
	role: ParticipantRole;
	host: boolean;
	noticePending: boolean;
	space: SpaceId;
};
export type ProducerView = { id: string; peerId: string; kind: types.MediaKind; source: MediaSource; paused: boolean };
export type ConsumerView<M extends MediaTypes = BrowserMedia> = {
	id: string;
	producerId: string;
	peerId: string;
	source: MediaSource;
	kind: types.MediaKind;
	rtpParameters: M['rtpParameters'];
	type: string;
	producerPaused: boolean;
};
export type TransportView<M extends MediaTypes = BrowserMedia> = {
	id: string;
	iceParameters: M['iceParameters'];
	iceCandidates: M['iceCandidate'][];
	dtlsParameters: M['dtlsParameters'];
};
export type ChatMessage = {
	id: string;
	space: SpaceId;
	peerId: string;
	authorName: string;
	body: string;
	sentAt: string;
};
/** Consecutive messages of a space, oldest first; `more` when earlier ones remain. */
export type ChatPage = { messages: ChatMessage[]; more: boolean };
/**
 * What a peer sees on arriving, and again on moving to another space: the rest comes as facts.
 * The latest of the chat said so far in its space follows as `room:chatHistory`.
 */
export type RoomSnapshot<M extends MediaTypes = BrowserMedia> = {
	self: PeerView;
	rtpCapabilities: M['rtpCapabilities'];
	peers: PeerView[];
	producers: ProducerView[];
	/** Who speaks loudest in this person's space now (none in the lobby): newcomers are shown at once. */
	speakerId: string | null;
};

/** The facts of a room, as the room tells them and its peers hear them. */
export type PeerMove = { peerId: string; from: SpaceId; space: SpaceId };
export type LeaveReason = 'left' | 'removed' | 'refused';
export type PeerLeft = { peerId: string; reason: LeaveReason };
export type ProducerClosed = { producerId: string; peerId: string; reason: 'closed' | 'moved' };
export type ConsumerClosed = { consumerId: string; producerId: string };
export type ProducerPaused = { producerId: string; peerId: string; paused: boolean };
export type PeerMuted = { peerId: string; byPeerId: string; source: MediaSource; producerId: string };
export type ActiveSpeaker = { space: SpaceId; peerId: string };
export type RoomRebuilt<M extends MediaTypes = BrowserMedia> = { rtpCapabilities: M['rtpCapabilities'] };

/** A named version of the agreement draft; `sha256` and `frozenAt` when frozen for signing. */
export type DraftVersionView = {
	id: string;
	seq: number;
	name: string;
	text: string;
	sha256: string | null;
	frozenAt: string | null;
	supersededAt: string | null;
	createdByName: string;
	createdAt: string;
};
export type DraftCommentView = {
	id: string;
	kind: 'comment' | 'suggestion';
	quote: string | null;
	body: string;
	authorName: string;
	resolvedAt: string | null;
	createdAt: string;
};
/** What opening a draft tells: who the person is to it, its settings, versions, comments and who wrote with which Yjs client. */
export type DraftSnapshot = {
	draftId: string;
	kind: DraftKind;
	/** The session a record is of. */
	sessionId: string | null;
	/** A record's header and result; null for the agreement. */
	record: RecordView | null;
	role: DraftRole;
	/** The person's name and colour, for their cursor, and whether and how they sign. */
	me: { name: string; color: string; signer: { key: string; proof: SignerProof } | null };
	partiesMayEdit: boolean;
	frozenVersionId: string | null;
	versions: DraftVersionView[];
	comments: DraftCommentView[];
	authors: Record<string, string>;
	signing: SigningView;
};
/** What everyone in a draft is told anew when its settings, versions, signatures or authors change. */
export type DraftChange = Omit<DraftSnapshot, 'role' | 'me' | 'comments'>;

type Empty = Record<string, never>;
export type CommandResults<M extends MediaTypes = BrowserMedia> = {
	'account:whoami': { actor: Actor };
	'room:join': RoomSnapshot<M>;
	'room:leave': Empty;
	'room:admit': Empty;
	'room:admitAll': Empty;
	'room:refuse': Empty;
	'room:sendToLobby': Empty;
	'room:remove': Empty;
	'room:mute': Empty;
	'room:openCaucus': { caucusId: string };
	'room:closeCaucus': Empty;
	'room:end': Empty;
	'room:createTransport': TransportView<M>;
	'room:connectTransport': Empty;
	'room:restartIce': { iceParameters: M['iceParameters'] };
	'room:produce': { id: string };
	'room:closeProducer': Empty;
	'room:pauseProducer': Empty;
	'room:resumeProducer': Empty;
	'room:consume': ConsumerView<M>;
	'room:resumeConsumer': Empty;
	'room:setLayers': Empty;
	'room:chat': ChatMessage;
	'room:chatEarlier': ChatPage;
	'draft:open': DraftSnapshot;
	'draft:close': Empty;
	/** The server's answers (base64): to a sync step 1, its step 2 and its own step 1; to an update, nothing. */
	'draft:sync': { messages: string[] };
	'draft:awareness': Empty;
	'draft:setPartiesMayEdit': Empty;
	'draft:saveVersion': DraftVersionView;
	'draft:restoreVersion': Empty;
	'draft:freeze': DraftVersionView;
	'draft:unfreeze': Empty;
	'draft:setRecordOutcome': Empty;
	'draft:sign': Empty;
	'draft:inPersonSigners': { signers: InPersonSignerView[] };
	'draft:signInPerson': Empty;
	'draft:seal': Empty;
	'draft:comment': DraftCommentView;
	'draft:resolveComment': Empty;
};

export type ClientToServerEvents<M extends MediaTypes = BrowserMedia> = {
	[E in CommandName]: (payload: CommandPayload<E>, ack: (reply: Reply<CommandResults<M>[E]>) => void) => void;
};

/** Why the room let a connection go. */
export type RoomExit = 'removed' | 'refused' | 'ended' | 'replaced' | 'failed';

export type ServerToClientEvents<M extends MediaTypes = BrowserMedia> = {
	/** The log-in session behind this connection ended (logout, deactivation, password reset). */
	'session:ended': (fact: { reason: 'logged_out' | 'revoked' }) => void;
	'room:peerJoined': (fact: PeerView) => void;
	/** When the peer moved is the one told, `snapshot` is what it may see in its new space. */
	'room:peerMoved': (fact: PeerMove & { snapshot?: RoomSnapshot<M> }) => void;
	'room:peerLeft': (fact: PeerLeft) => void;
	'room:newProducer': (fact: ProducerView) => void;
	'room:producerClosed': (fact: ProducerClosed) => void;
	'room:consumerClosed': (fact: ConsumerClosed) => void;
	'room:producerPaused': (fact: ProducerPaused) => void;
	'room:peerMuted': (fact: PeerMuted) => void;
	'room:activeSpeaker': (fact: ActiveSpeaker) => void;
	/** The media server restarted under the room: transports and producers are to be made anew. */
	'room:rebuilt': (fact: RoomRebuilt<M>) => void;
	'room:chat': (fact: ChatMessage) => void;
	'room:chatHistory': (fact: ChatPage & { space: SpaceId }) => void;
	/** A y-protocols sync message (an update) from someone else's edit, in base64 as all draft messages. */
	'draft:sync': (fact: { draftId: string; message: string }) => void;
	'draft:awareness': (fact: { draftId: string; update: string }) => void;
	/** Settings, versions, signatures or authors changed; `unfrozen` when an edit superseded the frozen version. */
	'draft:changed': (fact: { draftId: string; snapshot: DraftChange; unfrozen?: DraftVersionView }) => void;
	/** A comment was posted, or resolved: that comment only. */
	'draft:comment': (fact: { draftId: string; comment: DraftCommentView }) => void;
	/** This connection is no longer in the room. */
	'room:exit': (fact: { reason: RoomExit }) => void;
};

/** What the handshake may carry besides the session cookie. */
export const HANDSHAKE_AUTH_SCHEMA = z.object({}).strict();

/** Error codes a refused handshake reports in `connect_error` (`err.message`). */
export const HANDSHAKE_ERRORS = ['UNAUTHENTICATED', 'VALIDATION', 'FORBIDDEN', 'TOO_MANY_CONNECTIONS'] as const;
