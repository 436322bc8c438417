import { z } from 'zod';
import type { types } from 'mediasoup-client';
import type { Reply } from './errors.ts';
import type { Actor } from './roles.ts';
import type { ParticipantRole } from './sessions.ts';

/** For ids of transports, producers, consumers and peers: mediasoup's are UUIDs, caucuses prefix one. */
const id = z.string().min(1).max(100);
/** mediasoup checks these in depth; here only their shape and size. */
const mediaObject = z.record(z.string(), z.unknown());
const peerIdOnly = z.object({ peerId: id }).strict();

export const MEDIA_SOURCES = ['mic', 'camera', 'screen'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
export const MAX_CHAT_LENGTH = 2000;

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
	'room:refuse': peerIdOnly,
	'room:sendToLobby': peerIdOnly,
	'room:remove': peerIdOnly,
	'room:mute': z.object({ peerId: id, source: z.enum(MEDIA_SOURCES) }).strict(),
	'room:openCaucus': z.object({ memberIds: z.array(id).min(1).max(20) }).strict(),
	'room:closeCaucus': z.object({ caucusId: id }).strict(),
	'room:end': z.object({}).strict(),
	'room:createTransport': z.object({ direction: z.enum(['send', 'recv']) }).strict(),
	'room:connectTransport': z.object({ transportId: id, dtlsParameters: mediaObject }).strict(),
	'room:restartIce': z.object({ transportId: id }).strict(),
	'room:produce': z
		.object({
			transportId: id,
			kind: z.enum(['audio', 'video']),
			rtpParameters: mediaObject,
			source: z.enum(MEDIA_SOURCES)
		})
		.strict(),
	'room:closeProducer': z.object({ producerId: id }).strict(),
	'room:pauseProducer': z.object({ producerId: id }).strict(),
	'room:resumeProducer': z.object({ producerId: id }).strict(),
	'room:consume': z.object({ producerId: id, rtpCapabilities: mediaObject }).strict(),
	'room:resumeConsumer': z.object({ consumerId: id }).strict(),
	'room:setLayers': z.object({ consumerId: id, spatialLayer: z.int().min(0).max(2) }).strict(),
	'room:chat': z.object({ body: z.string().trim().min(1).max(MAX_CHAT_LENGTH) }).strict()
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export type CommandPayload<E extends CommandName> = z.input<(typeof COMMAND_SCHEMAS)[E]>;

/** Where a peer is: waiting in the lobby, in the joint session, or in one private caucus. */
export type SpaceId = 'lobby' | 'joint' | `caucus:${string}`;
export type PeerView = { id: string; displayName: string; role: ParticipantRole; space: SpaceId };
export type ProducerView = { id: string; peerId: string; kind: types.MediaKind; source: MediaSource; paused: boolean };
export type ConsumerView = {
	id: string;
	producerId: string;
	peerId: string;
	source: MediaSource;
	kind: types.MediaKind;
	rtpParameters: types.RtpParameters;
	type: string;
	producerPaused: boolean;
};
export type TransportView = {
	id: string;
	iceParameters: types.IceParameters;
	iceCandidates: types.IceCandidate[];
	dtlsParameters: types.DtlsParameters;
};
export type ChatMessage = {
	id: string;
	space: SpaceId;
	peerId: string;
	authorName: string;
	body: string;
	sentAt: string;
};
/**
 * What a peer sees on arriving, and again on moving to another space: the rest comes as facts.
 * The chat said so far in its space follows as `room:chatHistory`.
 */
export type RoomSnapshot = {
	self: PeerView;
	rtpCapabilities: types.RtpCapabilities;
	peers: PeerView[];
	producers: ProducerView[];
};

type Empty = Record<string, never>;
export type CommandResults = {
	'account:whoami': { actor: Actor };
	'room:join': RoomSnapshot;
	'room:leave': Empty;
	'room:admit': Empty;
	'room:refuse': Empty;
	'room:sendToLobby': Empty;
	'room:remove': Empty;
	'room:mute': Empty;
	'room:openCaucus': { caucusId: string };
	'room:closeCaucus': Empty;
	'room:end': Empty;
	'room:createTransport': TransportView;
	'room:connectTransport': Empty;
	'room:restartIce': { iceParameters: types.IceParameters };
	'room:produce': { id: string };
	'room:closeProducer': Empty;
	'room:pauseProducer': Empty;
	'room:resumeProducer': Empty;
	'room:consume': ConsumerView;
	'room:resumeConsumer': Empty;
	'room:setLayers': Empty;
	'room:chat': ChatMessage;
};

export type ClientToServerEvents = {
	[E in CommandName]: (payload: CommandPayload<E>, ack: (reply: Reply<CommandResults[E]>) => void) => void;
};

/** Why the room let a connection go. */
export type RoomExit = 'removed' | 'refused' | 'ended' | 'replaced' | 'failed';

export type ServerToClientEvents = {
	/** The log-in session behind this connection ended (logout, deactivation, password reset). */
	'session:ended': (fact: { reason: 'logged_out' | 'revoked' }) => void;
	'room:peerJoined': (fact: PeerView) => void;
	/** When the peer moved is the one told, `snapshot` is what it may see in its new space. */
	'room:peerMoved': (fact: { peerId: string; from: SpaceId; space: SpaceId; snapshot?: RoomSnapshot }) => void;
	'room:peerLeft': (fact: { peerId: string; reason: 'left' | 'removed' | 'refused' }) => void;
	'room:newProducer': (fact: ProducerView) => void;
	'room:producerClosed': (fact: { producerId: string; peerId: string; reason: 'closed' | 'moved' }) => void;
	'room:consumerClosed': (fact: { consumerId: string; producerId: string }) => void;
	'room:producerPaused': (fact: { producerId: string; peerId: string; paused: boolean }) => void;
	'room:peerMuted': (fact: { peerId: string; byPeerId: string; source: MediaSource; producerId: string }) => void;
	'room:activeSpeaker': (fact: { space: SpaceId; peerId: string }) => void;
	/** The media server restarted under the room: transports and producers are to be made anew. */
	'room:rebuilt': (fact: { rtpCapabilities: types.RtpCapabilities }) => void;
	'room:chat': (fact: ChatMessage) => void;
	'room:chatHistory': (fact: { space: SpaceId; messages: ChatMessage[] }) => void;
	/** This connection is no longer in the room. */
	'room:exit': (fact: { reason: RoomExit }) => void;
};

/** What the handshake may carry besides the session cookie. */
export const HANDSHAKE_AUTH_SCHEMA = z.object({}).strict();

/** Error codes a refused handshake reports in `connect_error` (`err.message`). */
export const HANDSHAKE_ERRORS = ['UNAUTHENTICATED', 'VALIDATION'] as const;
