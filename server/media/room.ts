import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { errors, extras, type types } from 'mediasoup';
import { AppError } from '#shared/errors.ts';
import type {
	ActiveSpeaker,
	ConsumerClosed,
	ConsumerView,
	LeaveReason,
	MediaSource,
	PeerLeft,
	PeerMove,
	PeerMuted,
	PeerView,
	ProducerClosed,
	ProducerPaused,
	ProducerView,
	RoomRebuilt,
	RoomSnapshot,
	SpaceId,
	TransportView
} from '#shared/realtime-events.ts';
import { PARTICIPANT_ROLES } from '#shared/sessions.ts';
import {
	isCaucus,
	Peer,
	type CaucusId,
	type PeerConsumer,
	type PeerInfo,
	type PeerProducer,
	type TransportDirection
} from './peer.ts';
import type { RoomPlace } from './room-memory.ts';
import type { ServerMedia } from './server-media.ts';
import type { RoomRouter, WorkerPool, WorkerPoolEvents } from './worker-pool.ts';

const SOURCE_KIND: Record<MediaSource, types.MediaKind> = { mic: 'audio', camera: 'video', screen: 'video' };
/** Simulcast sends three encodings: 0 is the smallest. */
const MAX_SPATIAL_LAYER = 2;
/** For ids and display names. */
const MAX_LENGTH = 100;
/** A room whose worker died tries this often, this far apart, to get a router on another. */
const REBUILD_ATTEMPTS = 5;
const REBUILD_RETRY_MS = 500;

/**
 * Every event names first the peers it is for, so the socket layer forwards it without knowing the
 * rules. Roster events go to everyone out of the lobby and to the peer concerned; media events
 * only to the peers who may consume, or held a consumer.
 */
export type RoomEvents = {
	/** Also when a peer joins again with the same id: that connection takes the place of the old one. */
	peerJoined: [to: string[], peer: PeerView];
	peerMoved: [to: string[], move: PeerMove];
	peerLeft: [to: string[], left: PeerLeft];
	/** The peers told may consume this producer now. */
	newProducer: [to: string[], producer: ProducerView];
	/** The peers told may no longer consume this producer: it closed, or they or its owner moved apart. */
	producerClosed: [to: string[], closed: ProducerClosed];
	/** Why, for the room's own record: the peer is told only which consumer closed. */
	consumerClosed: [to: string[], closed: ConsumerClosed & { reason: 'producerClosed' | 'moved' }];
	/** The owner or the host paused or resumed a producer: its audience shows it muted or not. */
	producerPaused: [to: string[], change: ProducerPaused];
	peerMuted: [to: string[], muted: PeerMuted];
	/** The loudest peer of a space, told to that space only: a caucus is not heard even as a level. */
	activeSpeaker: [to: string[], speaker: ActiveSpeaker];
	/** The worker died and the room has a new router: every transport, producer and consumer is gone, spaces are kept. */
	rebuilt: [to: string[], rebuilt: RoomRebuilt<ServerMedia>];
	/** Where a peer is now changed, for keeping beyond this process; `null` when they left for good. */
	placeChanged: [peerId: string, place: RoomPlace | null];
	close: [];
};

/**
 * A live mediation room: one router, a lobby, the joint space and private caucuses. The room
 * decides who consumes what: nobody in the lobby sends or receives media, and a producer is only
 * ever consumed by peers in its owner's space. Each method checks its arguments and that every id
 * is this peer's, in this room, and throws an AppError the socket layer can reply with.
 */
export class Room extends extras.EnhancedEventEmitter<RoomEvents> {
	readonly id: string;
	readonly #pool: WorkerPool;
	readonly #peers = new Map<string, Peer>();
	readonly #caucuses = new Set<CaucusId>();
	/** Peers a host refused or removed: the same id does not get back in. */
	readonly #turnedAway = new Set<string>();
	/** Where peers who dropped were, to return them there when they join again, and when they dropped. */
	readonly #away = new Map<string, { space: SpaceId; since: number }>();
	/** The last loudest peer of each space, so that only a change is told. */
	readonly #speakers = new Map<SpaceId, string>();
	#router: RoomRouter;
	#audioLevels: types.AudioLevelObserver;
	/** Settles when the router is usable again after a worker death; it never rejects. */
	#ready: Promise<void> = Promise.resolve();
	#closed = false;

	/** `remembered`: where peers were before this room was opened (a restart), to return them there. */
	static async create(
		id: string,
		pool: WorkerPool,
		remembered: ReadonlyMap<string, SpaceId> = new Map()
	): Promise<Room> {
		if (typeof id !== 'string' || !id) throw new TypeError('id must be a non-empty string');
		const router = await pool.createRouter(id);
		try {
			return new Room(id, pool, router, await observeAudioLevels(router), remembered);
		} catch (error) {
			router.close();
			throw error;
		}
	}

	private constructor(
		id: string,
		pool: WorkerPool,
		router: RoomRouter,
		audioLevels: types.AudioLevelObserver,
		remembered: ReadonlyMap<string, SpaceId>
	) {
		super();
		this.id = id;
		this.#pool = pool;
		this.#router = router;
		this.#audioLevels = audioLevels;
		// Remembered from before the room opened: as if they had dropped just now.
		for (const [peerId, space] of remembered) {
			this.#away.set(peerId, { space, since: Date.now() });
			if (isCaucus(space)) this.#caucuses.add(space);
		}
		this.#watchAudioLevels();
		pool.on('workerDied', this.#onWorkerDied);
		pool.on('close', this.#onPoolClose);
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** Nobody is in the room. */
	get empty(): boolean {
		return this.#peers.size === 0;
	}

	get rtpCapabilities(): types.RtpCapabilities {
		return this.#router.rtpCapabilities;
	}

	/**
	 * Hosts go straight to the joint space, everyone else waits in the lobby; someone joining
	 * again (another tab, a reload, a reconnection) takes the place of their previous connection
	 * and returns to where they were, unless they are to acknowledge the notice first: then they
	 * wait in the lobby. The reply holds what the peer may see now; changes come as events.
	 */
	join(info: PeerInfo): RoomSnapshot<ServerMedia> {
		this.#assertOpen();
		checkPeerInfo(info);
		if (this.#turnedAway.has(info.id)) throw new AppError('FORBIDDEN');
		const previous = this.#peers.get(info.id);
		if (previous) this.#dropPeer(previous);
		const space = info.noticePending
			? 'lobby'
			: (previous?.space ?? this.#returningSpace(info.id) ?? (info.host ? 'joint' : 'lobby'));
		this.#away.delete(info.id);
		const peer = new Peer(info, space);
		this.#peers.set(peer.id, peer);
		this.safeEmit('peerJoined', this.#rosterAudience(peer), peer.info);
		this.safeEmit('placeChanged', peer.id, { space, present: true });
		return this.view(peer.id);
	}

	/** What a peer may see now: everyone if out of the lobby, and the producers it may consume. */
	view(peerId: string): RoomSnapshot<ServerMedia> {
		const peer = this.#peer(peerId);
		const visible = peer.space === 'lobby' ? [peer] : [...this.#peers.values()];
		return {
			self: peer.info,
			rtpCapabilities: this.rtpCapabilities,
			peers: visible.map((p) => p.info),
			producers: this.#producers()
				.filter(([owner]) => this.#audienceOf(owner).has(peer))
				.map(([owner, producer]) => producerView(owner, producer)),
			speakerId: peer.space === 'lobby' ? null : (this.#speakers.get(peer.space) ?? null)
		};
	}

	/**
	 * Whether a join of this peer now continues their visit: they are in the room (another tab, a
	 * reload's overlap) or their connection dropped less than `withinMs` ago. A peer turned away
	 * counts as visiting: their join is refused, not a new visit.
	 */
	isVisiting(peerId: string, withinMs: number, now = Date.now()): boolean {
		const away = this.#away.get(peerId);
		return this.#peers.has(peerId) || this.#turnedAway.has(peerId) || (!!away && now - away.since < withinMs);
	}

	/** Leaving for good: a later join starts over, in the lobby. */
	leave(peerId: string): void {
		this.#removePeer(this.#peer(peerId), 'left');
	}

	/** The connection went away: the peer leaves, and returns to the same space if they join again soon. */
	drop(peerId: string): void {
		const peer = this.#peer(peerId);
		this.#away.set(peer.id, { space: peer.space, since: Date.now() });
		this.#removePeer(peer, 'left');
		this.safeEmit('placeChanged', peer.id, { space: peer.space, present: false });
	}

	/** Where what a peer says in chat goes: its space, heard by everyone in it. Nobody speaks from the lobby. */
	chatScope(peerId: string): { space: SpaceId; to: string[] } {
		const peer = this.#mediaPeer(peerId);
		return { space: peer.space, to: idsOf(this.#membersOf(peer.space)) };
	}

	/** A party who has not acknowledged the notice is not let in: NOTICE_NOT_ACKNOWLEDGED. */
	admit(byPeerId: string, peerId: string): void {
		this.#host(byPeerId);
		const peer = this.#peer(peerId);
		if (peer.space !== 'lobby') throw new AppError('CONFLICT');
		if (peer.noticePending) throw new AppError('NOTICE_NOT_ACKNOWLEDGED');
		this.#move([peer], 'joint');
	}

	/**
	 * Everyone waiting in the lobby goes into the joint space at once, but for those still to
	 * acknowledge the notice; an empty lobby is nothing to do.
	 */
	admitAll(byPeerId: string): void {
		this.#host(byPeerId);
		const waiting = [...this.#peers.values()].filter((peer) => peer.space === 'lobby' && !peer.noticePending);
		if (waiting.length) this.#move(waiting, 'joint');
	}

	/**
	 * Who of those waiting in the lobby is still to acknowledge the notice: exactly `peerIds`.
	 * Those already let in stay where they are: the notice was acknowledged when they came in.
	 */
	awaitNotice(peerIds: ReadonlySet<string>): void {
		this.#assertOpen();
		for (const peer of this.#peers.values()) if (peer.space === 'lobby') peer.noticePending = peerIds.has(peer.id);
	}

	/** Only someone in the lobby can be refused; they cannot come back with the same id. */
	refuse(byPeerId: string, peerId: string): void {
		this.#host(byPeerId);
		const peer = this.#peer(peerId);
		if (peer.space !== 'lobby') throw new AppError('CONFLICT');
		this.#turnedAway.add(peer.id);
		this.#removePeer(peer, 'refused');
	}

	/** Anyone but oneself can be removed; they cannot come back with the same id. */
	remove(byPeerId: string, peerId: string): void {
		const host = this.#host(byPeerId);
		const peer = this.#peer(peerId);
		if (peer === host) throw invalid('peerId');
		this.#turnedAway.add(peer.id);
		this.#removePeer(peer, 'removed');
	}

	/** Hosts run the room and never wait in the lobby. */
	sendToLobby(byPeerId: string, peerId: string): void {
		this.#host(byPeerId);
		const peer = this.#peer(peerId);
		if (peer.host) throw new AppError('FORBIDDEN');
		if (peer.space === 'lobby') throw new AppError('CONFLICT');
		this.#move([peer], 'lobby');
	}

	/**
	 * Moves the host and the members, from the joint space or another caucus, into a new
	 * caucus; whoever is left behind stays where they are.
	 */
	openCaucus(byPeerId: string, memberIds: string[]): CaucusId {
		const host = this.#host(byPeerId);
		if (!Array.isArray(memberIds) || memberIds.length > this.#peers.size) throw invalid('memberIds');
		const members = [...new Set(memberIds)].map((id) => this.#peer(id)).filter((peer) => peer !== host);
		if (!members.length) throw invalid('memberIds');
		if (members.some((peer) => peer.space === 'lobby')) throw new AppError('CONFLICT');
		const caucusId: CaucusId = `caucus:${randomUUID()}`;
		this.#caucuses.add(caucusId);
		this.#move([host, ...members], caucusId);
		return caucusId;
	}

	/** Everyone in the caucus goes back to the joint space. */
	closeCaucus(byPeerId: string, caucusId: string): void {
		this.#host(byPeerId);
		if (!isCaucus(caucusId) || !this.#caucuses.has(caucusId)) throw new AppError('NOT_FOUND');
		// Those away from it return to the joint space too.
		for (const [peerId, away] of this.#away) {
			if (away.space !== caucusId) continue;
			away.space = 'joint';
			this.safeEmit('placeChanged', peerId, { space: 'joint', present: false });
		}
		this.#caucuses.delete(caucusId);
		this.#move(this.#membersOf(caucusId), 'joint');
	}

	/** One transport per direction; none in the lobby. */
	async createTransport(peerId: string, direction: TransportDirection): Promise<TransportView<ServerMedia>> {
		const peer = this.#mediaPeer(peerId);
		if (direction !== 'send' && direction !== 'recv') throw invalid('direction');
		if (peer.transportFor(direction)) throw new AppError('CONFLICT');
		await this.#ready;
		this.#assertOpen();
		const transport = await mediasoupCall(
			this.#router.createWebRtcTransport({
				listenInfos: this.#pool.listenInfos,
				preferUdp: true,
				appData: { direction, connected: false }
			}),
			'direction'
		);
		if (peer.space === 'lobby' || peer.transportFor(direction)) {
			transport.close();
			throw new AppError('CONFLICT');
		}
		peer.addTransport(transport);
		const { id, iceParameters, iceCandidates, dtlsParameters } = transport;
		return { id, iceParameters, iceCandidates, dtlsParameters };
	}

	async connectTransport(peerId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
		const transport = this.#mediaPeer(peerId).transport(checkId(transportId, 'transportId'));
		if (!isObject(dtlsParameters)) throw invalid('dtlsParameters');
		if (transport.appData.connected) throw new AppError('CONFLICT');
		transport.appData.connected = true;
		try {
			await mediasoupCall(transport.connect({ dtlsParameters }), 'dtlsParameters');
		} catch (error) {
			transport.appData.connected = false;
			throw error;
		}
	}

	async restartIce(peerId: string, transportId: string): Promise<types.IceParameters> {
		const transport = this.#mediaPeer(peerId).transport(checkId(transportId, 'transportId'));
		return mediasoupCall(transport.restartIce(), 'transportId');
	}

	/** One producer per source; observers watch and listen only. */
	async produce(
		peerId: string,
		transportId: string,
		kind: types.MediaKind,
		rtpParameters: types.RtpParameters,
		appData: { source: MediaSource }
	): Promise<{ id: string }> {
		const peer = this.#mediaPeer(peerId);
		if (peer.role === 'observer') throw new AppError('FORBIDDEN');
		const transport = peer.transport(checkId(transportId, 'transportId'));
		if (transport.appData.direction !== 'send') throw invalid('transportId');
		const source = isObject(appData) ? appData.source : undefined;
		if (typeof source !== 'string' || !Object.hasOwn(SOURCE_KIND, source)) throw invalid('source');
		if (SOURCE_KIND[source] !== kind) throw invalid('kind');
		if (!isObject(rtpParameters)) throw invalid('rtpParameters');
		if (peer.producerOf(source)) throw new AppError('CONFLICT');

		const producer = await mediasoupCall(
			transport.produce({ kind, rtpParameters, appData: { peerId: peer.id, source } }),
			'rtpParameters'
		);
		try {
			if (kind === 'audio') await mediasoupCall(this.#audioLevels.addProducer({ producerId: producer.id }), 'kind');
			if (peer.producerOf(source)) throw new AppError('CONFLICT');
			peer.addProducer(producer);
		} catch (error) {
			producer.close();
			throw error;
		}
		const audience = this.#audienceOf(peer);
		if (audience.size) this.safeEmit('newProducer', idsOf(audience), producerView(peer, producer));
		return { id: producer.id };
	}

	closeProducer(peerId: string, producerId: string): void {
		const peer = this.#peer(peerId);
		this.#closeProducer(peer, peer.producer(checkId(producerId, 'producerId')));
	}

	/** The owner pausing or resuming their own producer, e.g. to unmute after the host muted them. */
	async pauseProducer(peerId: string, producerId: string): Promise<void> {
		await this.#setPaused(this.#peer(peerId), checkId(producerId, 'producerId'), true);
	}

	async resumeProducer(peerId: string, producerId: string): Promise<void> {
		await this.#setPaused(this.#peer(peerId), checkId(producerId, 'producerId'), false);
	}

	/** The host pauses someone's producer on the server, whatever their client does. */
	async mute(byPeerId: string, peerId: string, source: MediaSource): Promise<void> {
		const host = this.#host(byPeerId);
		const peer = this.#peer(peerId);
		if (!Object.hasOwn(SOURCE_KIND, source)) throw invalid('source');
		const producer = peer.producerOf(source);
		if (!producer) throw new AppError('NOT_FOUND');
		await this.#setPaused(peer, producer.id, true);
		const to = new Set([...this.#membersOf(peer.space), host]);
		this.safeEmit('peerMuted', idsOf(to), { peerId: peer.id, byPeerId: host.id, source, producerId: producer.id });
	}

	/** Only a producer of a peer in the same space, out of the lobby; the consumer starts paused. */
	async consume(
		peerId: string,
		producerId: string,
		rtpCapabilities: types.RtpCapabilities
	): Promise<ConsumerView<ServerMedia>> {
		const peer = this.#mediaPeer(peerId);
		const [owner, producer] = this.#producer(checkId(producerId, 'producerId'));
		if (owner === peer) throw invalid('producerId');
		if (!this.#audienceOf(owner).has(peer)) throw new AppError('FORBIDDEN');
		if (peer.consumerOf(producer.id)) throw new AppError('CONFLICT');
		const transport = peer.transportFor('recv');
		if (!transport) throw new AppError('CONFLICT');
		if (!isObject(rtpCapabilities) || !this.#router.canConsume({ producerId: producer.id, rtpCapabilities })) {
			throw invalid('rtpCapabilities');
		}
		const { source } = producer.appData;
		const consumer = await mediasoupCall(
			transport.consume({
				producerId: producer.id,
				rtpCapabilities,
				paused: true,
				appData: { peerId: owner.id, source }
			}),
			'rtpCapabilities'
		);
		// Either of them may have moved meanwhile: check again, so that no consumer outlives its right.
		if (!this.#audienceOf(owner).has(peer) || peer.consumerOf(producer.id)) {
			consumer.close();
			throw new AppError('FORBIDDEN');
		}
		peer.addConsumer(consumer);
		const { id, kind, rtpParameters, type, producerPaused } = consumer;
		return { id, producerId: producer.id, peerId: owner.id, source, kind, rtpParameters, type, producerPaused };
	}

	async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
		const consumer = this.#peer(peerId).consumer(checkId(consumerId, 'consumerId'));
		await mediasoupCall(consumer.resume(), 'consumerId');
	}

	/** The client asks for the simulcast layer that fits the tile it shows the video in. */
	async setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number): Promise<void> {
		const consumer = this.#peer(peerId).consumer(checkId(consumerId, 'consumerId'));
		if (!Number.isInteger(spatialLayer) || spatialLayer < 0 || spatialLayer > MAX_SPATIAL_LAYER) {
			throw invalid('spatialLayer');
		}
		if (consumer.kind !== 'video') throw invalid('consumerId');
		await mediasoupCall(consumer.setPreferredLayers({ spatialLayer }), 'spatialLayer');
	}

	/** Who is where and holds what: for the hosts' view of the room, logs and tests. */
	dump() {
		return {
			id: this.id,
			routerId: this.#router.id,
			caucuses: [...this.#caucuses],
			peers: [...this.#peers.values()].map((peer) => peer.dump())
		};
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#pool.off('workerDied', this.#onWorkerDied);
		this.#pool.off('close', this.#onPoolClose);
		for (const peer of this.#peers.values()) peer.close();
		this.#peers.clear();
		this.#router.close();
		this.safeEmit('close');
	}

	/**
	 * Moves peers all at once, then closes and announces exactly what changed in who may consume
	 * what, so that peers moving together keep their media between them.
	 */
	#move(peers: Peer[], space: SpaceId): void {
		const before = new Map(this.#producers().map(([owner, producer]) => [producer, this.#audienceOf(owner)]));
		const moves = peers.filter((peer) => peer.space !== space).map((peer) => ({ peer, from: peer.space }));
		for (const { peer } of moves) peer.space = space;
		for (const [owner, producer] of this.#producers()) {
			const was = before.get(producer) ?? new Set<Peer>();
			const is = this.#audienceOf(owner);
			const lost = [...was].filter((peer) => !is.has(peer));
			const gained = [...is].filter((peer) => !was.has(peer));
			for (const peer of lost) this.#closeConsumerOf(peer, producer, 'moved');
			const view = producerView(owner, producer);
			if (lost.length)
				this.safeEmit('producerClosed', idsOf(lost), { producerId: view.id, peerId: owner.id, reason: 'moved' });
			if (gained.length) this.safeEmit('newProducer', idsOf(gained), view);
		}
		// The lobby holds no media at all, not even a transport; its producers were no one's to consume.
		if (space === 'lobby') for (const { peer } of moves) peer.closeMedia();
		for (const { peer, from } of moves) {
			this.safeEmit('peerMoved', this.#rosterAudience(peer), { peerId: peer.id, from, space });
			this.safeEmit('placeChanged', peer.id, { space, present: true });
		}
		this.#forgetEmptyCaucuses();
	}

	async #setPaused(owner: Peer, producerId: string, paused: boolean): Promise<void> {
		const producer = owner.producer(producerId);
		await mediasoupCall(paused ? producer.pause() : producer.resume(), 'producerId');
		const audience = this.#audienceOf(owner);
		if (audience.size) this.safeEmit('producerPaused', idsOf(audience), { producerId, peerId: owner.id, paused });
	}

	#closeProducer(owner: Peer, producer: PeerProducer): void {
		const audience = this.#audienceOf(owner);
		for (const peer of audience) this.#closeConsumerOf(peer, producer, 'producerClosed');
		producer.close();
		if (audience.size) {
			this.safeEmit('producerClosed', idsOf(audience), { producerId: producer.id, peerId: owner.id, reason: 'closed' });
		}
	}

	#closeConsumerOf(peer: Peer, producer: PeerProducer, reason: 'producerClosed' | 'moved'): void {
		const consumer: PeerConsumer | undefined = peer.consumerOf(producer.id);
		if (!consumer) return;
		consumer.close();
		this.safeEmit('consumerClosed', [peer.id], { consumerId: consumer.id, producerId: producer.id, reason });
	}

	/** Gone; for good unless the peer only dropped (kept among those away by `drop`). */
	#removePeer(peer: Peer, reason: LeaveReason): void {
		const to = this.#rosterAudience(peer);
		this.#dropPeer(peer);
		this.safeEmit('peerLeft', to, { peerId: peer.id, reason });
		if (!this.#away.has(peer.id)) this.safeEmit('placeChanged', peer.id, null);
		this.#forgetEmptyCaucuses();
	}

	#dropPeer(peer: Peer): void {
		for (const producer of peer.producers) this.#closeProducer(peer, producer);
		peer.close();
		this.#peers.delete(peer.id);
	}

	/** A dropped peer's space, if it still exists. */
	#returningSpace(peerId: string): SpaceId | undefined {
		const space = this.#away.get(peerId)?.space;
		if (space === 'lobby' || space === 'joint') return space;
		return space && this.#caucuses.has(space) ? space : undefined;
	}

	/** A caucus nobody is in, and nobody away will return to, is over. */
	#forgetEmptyCaucuses(): void {
		const returning = new Set([...this.#away.values()].map((away) => away.space));
		for (const caucusId of this.#caucuses) {
			if (this.#membersOf(caucusId).length || returning.has(caucusId)) continue;
			this.#caucuses.delete(caucusId);
			this.#speakers.delete(caucusId);
		}
	}

	/** The peers who may consume an owner's producers: the others in its space; nobody in the lobby. */
	#audienceOf(owner: Peer): Set<Peer> {
		if (owner.space === 'lobby') return new Set();
		return new Set(this.#membersOf(owner.space).filter((peer) => peer !== owner));
	}

	/** Roster changes are told to everyone out of the lobby, and to the peer concerned. */
	#rosterAudience(subject: Peer): string[] {
		return [...this.#peers.values()].filter((peer) => peer.space !== 'lobby' || peer === subject).map((p) => p.id);
	}

	#membersOf(space: SpaceId): Peer[] {
		return [...this.#peers.values()].filter((peer) => peer.space === space);
	}

	#producers(): [Peer, PeerProducer][] {
		return [...this.#peers.values()].flatMap((peer) =>
			peer.producers.map((producer): [Peer, PeerProducer] => [peer, producer])
		);
	}

	/** A producer of this room, whoever owns it; ids of other rooms are not found. */
	#producer(producerId: string): [Peer, PeerProducer] {
		const entry = this.#producers().find(([, producer]) => producer.id === producerId);
		if (!entry) throw new AppError('NOT_FOUND');
		return entry;
	}

	#peer(peerId: string): Peer {
		this.#assertOpen();
		const peer = this.#peers.get(checkId(peerId, 'peerId'));
		if (!peer) throw new AppError('NOT_FOUND');
		return peer;
	}

	/** A peer out of the lobby, where no media is sent or received. */
	#mediaPeer(peerId: string): Peer {
		const peer = this.#peer(peerId);
		if (peer.space === 'lobby') throw new AppError('FORBIDDEN');
		return peer;
	}

	#host(peerId: string): Peer {
		const peer = this.#peer(peerId);
		if (!peer.host) throw new AppError('FORBIDDEN');
		return peer;
	}

	#assertOpen(): void {
		if (this.#closed) throw new AppError('NOT_FOUND');
	}

	#watchAudioLevels(): void {
		this.#audioLevels.on('volumes', (volumes) => {
			const loudest = new Map<SpaceId, Peer>();
			// The loudest come first.
			for (const { producer } of volumes) {
				const owner = this.#peers.get((producer as PeerProducer).appData.peerId);
				if (owner && owner.space !== 'lobby' && !loudest.has(owner.space)) loudest.set(owner.space, owner);
			}
			for (const [space, peer] of loudest) {
				if (this.#speakers.get(space) === peer.id) continue;
				this.#speakers.set(space, peer.id);
				this.safeEmit('activeSpeaker', idsOf(this.#membersOf(space)), { space, peerId: peer.id });
			}
		});
	}

	readonly #onWorkerDied = ({ roomIds }: WorkerPoolEvents['workerDied'][0]): void => {
		// One rebuild after another: a second death during a rebuild rebuilds again once it is done.
		if (!this.#closed && roomIds.includes(this.id)) this.#ready = this.#ready.then(() => this.#rebuild());
	};

	readonly #onPoolClose = (): void => this.close();

	/**
	 * The worker took every transport, producer and consumer with it; the peers and their spaces
	 * stay. The new router's worker may die as well (several dying at once): the room tries again.
	 */
	async #rebuild(): Promise<void> {
		this.#speakers.clear();
		for (let attempt = 1; ; attempt++) {
			try {
				const router = await this.#pool.createRouter(this.id);
				const audioLevels = await observeAudioLevels(router);
				if (this.#closed) return router.close();
				this.#router = router;
				this.#audioLevels = audioLevels;
				this.#watchAudioLevels();
				this.safeEmit('rebuilt', [...this.#peers.keys()], { rtpCapabilities: router.rtpCapabilities });
				return;
			} catch {
				// No worker could take the room: it ends, and its peers are told so by `close`.
				if (this.#closed || this.#pool.closed || attempt === REBUILD_ATTEMPTS) return this.close();
				await delay(REBUILD_RETRY_MS);
			}
		}
	}
}

async function observeAudioLevels(router: RoomRouter): Promise<types.AudioLevelObserver> {
	// Enough entries for every microphone of a room, so that each space finds its loudest. A level
	// is the average over the interval, which pauses (sent as DTX silence) pull far down.
	return router.createAudioLevelObserver({ maxEntries: 64, threshold: -80, interval: 800 });
}

function producerView(owner: Peer, producer: PeerProducer): ProducerView {
	return {
		id: producer.id,
		peerId: owner.id,
		kind: producer.kind,
		source: producer.appData.source,
		paused: producer.paused
	};
}

function idsOf(peers: Iterable<Peer>): string[] {
	return [...peers].map((peer) => peer.id);
}

function invalid(field: string): AppError {
	return new AppError('VALIDATION', { fields: { [field]: ['invalid'] } });
}

function isObject(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}

function checkId(id: string, field: string): string {
	if (typeof id !== 'string' || !id || id.length > MAX_LENGTH) throw invalid(field);
	return id;
}

function checkPeerInfo(info: PeerInfo): void {
	if (!isObject(info)) throw invalid('peer');
	checkId(info.id, 'id');
	if (typeof info.displayName !== 'string' || !info.displayName.trim() || info.displayName.length > MAX_LENGTH) {
		throw invalid('displayName');
	}
	if (!PARTICIPANT_ROLES.includes(info.role)) throw invalid('role');
	if (typeof info.host !== 'boolean') throw invalid('host');
	if (info.noticePending !== undefined && typeof info.noticePending !== 'boolean') throw invalid('noticePending');
}

/**
 * mediasoup refuses malformed parameters with TypeError or UnsupportedError, and calls on objects
 * that closed meanwhile with WorkerClosedError or NotFoundError: the first are the caller's
 * mistake, the others a race the caller may retry.
 */
async function mediasoupCall<T>(call: Promise<T>, field: string): Promise<T> {
	try {
		return await call;
	} catch (error) {
		if (error instanceof TypeError || error instanceof errors.UnsupportedError) {
			throw new AppError('VALIDATION', { fields: { [field]: ['invalid'] }, cause: error });
		}
		if (error instanceof errors.WorkerClosedError || error instanceof errors.NotFoundError) {
			throw new AppError('CONFLICT', { cause: error });
		}
		throw error;
	}
}
