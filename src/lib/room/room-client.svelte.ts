import { Device, type types } from 'mediasoup-client';
import { ask, CommandError, type CommandSocket } from '$lib/realtime/command-client';
import { pageSocket } from '$lib/realtime/page-socket';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { ErrorCode } from '$lib/shared/errors';
import type { JoinChoice } from './local-media';
import type {
	ChatMessage,
	MediaSource,
	PeerView,
	ProducerView,
	RoomExit,
	RoomSnapshot,
	SpaceId
} from '$lib/shared/realtime-events';

/** Media of another peer the client may consume, and what it receives of it. */
export type RemoteMedia = {
	producer: ProducerView;
	consumer: types.Consumer | null;
	/** Receiving statistics, refreshed every few seconds: shown as the tile's signal and read by tests. */
	stats: { bytesReceived: number; framesDecoded: number; kbps: number };
};

export type RoomPhase = 'connecting' | 'joined' | 'reconnecting' | 'exited';
/** Why the client is out of the room: the room's reasons, a refusal of the server, or the person leaving. */
export type ExitReason = RoomExit | 'left' | 'revoked' | ErrorCode;

/** Simulcast layers of the camera, smallest first; consumers pick one by tile size. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
	{ scaleResolutionDownBy: 4, maxBitrate: 150_000 },
	{ scaleResolutionDownBy: 2, maxBitrate: 500_000 },
	{ scaleResolutionDownBy: 1, maxBitrate: 1_200_000 }
];
const STATS_INTERVAL_MS = 2000;
/** How long ICE may stay disconnected before the client restarts it. */
const ICE_GRACE_MS = 3000;
/** How long to wait before asking again when a join got no answer (a server starting up, or overloaded). */
const JOIN_RETRY_MS = 1000;

/**
 * One person's connection to a session's room: the socket, the mediasoup-client device and
 * transports, and the state the room page shows, kept in runes. The server decides who is where
 * and who consumes what; this client follows its facts, and rebuilds its media whenever the
 * server lost it (reconnection, a restarted media worker, a move out of the lobby).
 */
export class RoomClient {
	phase = $state<RoomPhase>('connecting');
	exitReason = $state<ExitReason | null>(null);
	self = $state<PeerView | null>(null);
	peers = $state<PeerView[]>([]);
	readonly remote = new SvelteMap<string, RemoteMedia>();
	speakerId = $state<string | null>(null);
	/** The chat of each space the person has been in, oldest first: the latest, and what they asked for before it. */
	readonly chat = new SvelteMap<SpaceId, ChatMessage[]>();
	/** The spaces whose chat has earlier messages than those held. */
	readonly earlierChat = new SvelteSet<SpaceId>();
	/** Why the last chat message was not sent, for the chat to tell. */
	chatError = $state<ErrorCode | null>(null);
	micOn = $state(false);
	cameraOn = $state(false);
	screenOn = $state(false);
	/** Set when a host muted this person; cleared when they unmute. */
	mutedByHost = $state(false);
	/** The last command the server refused, for the page to tell. */
	lastError = $state<ErrorCode | null>(null);
	/** The camera track shown in the person's own tile. */
	cameraTrack = $state<MediaStreamTrack | null>(null);

	readonly #sessionId: string;
	readonly #socket: CommandSocket;
	#micTrack: MediaStreamTrack | null;
	#device: Device | null = null;
	#send: types.Transport | null = null;
	#recv: types.Transport | null = null;
	// Bookkeeping the page never shows: plain collections, not reactive ones.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #producers = new Map<MediaSource, types.Producer>();
	/** Producers being consumed while the server answers. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #consuming = new Set<string>();
	/** Media set-up and tear-down run one after another, never interleaved. */
	#media: Promise<void> = Promise.resolve();
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#joinRetry: ReturnType<typeof setTimeout> | undefined;

	constructor(sessionId: string, local: JoinChoice) {
		this.#sessionId = sessionId;
		this.#micTrack = local.stream?.getAudioTracks()[0] ?? null;
		this.cameraTrack = local.stream?.getVideoTracks()[0] ?? null;
		this.micOn = local.micOn && this.#micTrack !== null;
		this.cameraOn = local.cameraOn && this.cameraTrack !== null;
		this.#socket = pageSocket();
		this.#listen();
	}

	get hasMic(): boolean {
		return this.#micTrack !== null;
	}

	get hasCamera(): boolean {
		return this.cameraTrack !== null || this.#producers.has('camera');
	}

	/** The peers in the same space as this person, themselves first. */
	get companions(): PeerView[] {
		const space = this.self?.space;
		return this.peers
			.filter((p) => p.space === space)
			.sort((a, b) => Number(b.id === this.self?.id) - Number(a.id === this.self?.id));
	}

	start(): void {
		this.#socket.connect();
		this.#statsTimer = setInterval(() => void this.#refreshStats(), STATS_INTERVAL_MS);
	}

	async leave(): Promise<void> {
		if (this.phase === 'joined') await ask(this.#socket, 'room:leave', {}).catch(() => {});
		this.#exit('left');
	}

	async toggleMic(): Promise<void> {
		const producer = this.#producers.get('mic');
		if (!producer) return;
		await this.#command(async () => {
			if (this.micOn) {
				producer.pause();
				await ask(this.#socket, 'room:pauseProducer', { producerId: producer.id });
			} else {
				await ask(this.#socket, 'room:resumeProducer', { producerId: producer.id });
				producer.resume();
				this.mutedByHost = false;
			}
			this.micOn = !this.micOn;
		});
	}

	/** Turning the camera off stops it (its light goes out); turning it on opens it again. */
	async toggleCamera(): Promise<void> {
		await this.#command(async () => {
			if (this.cameraOn) {
				this.cameraOn = false;
				await this.#stopProducing('camera');
				this.cameraTrack?.stop();
				this.cameraTrack = null;
				return;
			}
			const stream = await navigator.mediaDevices.getUserMedia({
				video: { width: { ideal: 1280 }, height: { ideal: 720 } }
			});
			this.cameraTrack = stream.getVideoTracks()[0];
			this.cameraOn = true;
			if (this.#send) await this.#produce('camera', this.cameraTrack);
		});
	}

	async toggleScreen(): Promise<void> {
		await this.#command(async () => {
			if (this.screenOn) return this.#stopProducing('screen');
			const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
			const track = stream.getVideoTracks()[0];
			const producer = await this.#produce('screen', track);
			producer?.track?.addEventListener('ended', () => void this.#stopProducing('screen'));
		});
	}

	admit = (peerId: string) => this.#command(() => ask(this.#socket, 'room:admit', { peerId }));
	admitAll = () => this.#command(() => ask(this.#socket, 'room:admitAll', {}));
	refuse = (peerId: string) => this.#command(() => ask(this.#socket, 'room:refuse', { peerId }));
	sendToLobby = (peerId: string) => this.#command(() => ask(this.#socket, 'room:sendToLobby', { peerId }));
	remove = (peerId: string) => this.#command(() => ask(this.#socket, 'room:remove', { peerId }));
	muteMic = (peerId: string) => this.#command(() => ask(this.#socket, 'room:mute', { peerId, source: 'mic' }));
	openCaucus = (memberIds: string[]) => this.#command(() => ask(this.#socket, 'room:openCaucus', { memberIds }));
	closeCaucus = (caucusId: string) => this.#command(() => ask(this.#socket, 'room:closeCaucus', { caucusId }));
	end = () => this.#command(() => ask(this.#socket, 'room:end', {}));

	async say(body: string): Promise<boolean> {
		try {
			this.#addChat(await ask(this.#socket, 'room:chat', { body }));
			this.chatError = null;
			return true;
		} catch (error) {
			this.chatError = error instanceof CommandError ? error.code : 'INTERNAL';
			return false;
		}
	}

	/** Brings the page of the chat said before the earliest message held in the person's space. */
	async showEarlierChat(): Promise<void> {
		const space = this.self?.space;
		const earliest = space && this.chat.get(space)?.[0];
		if (!space || !earliest) return;
		const page = await this.#command(() => ask(this.#socket, 'room:chatEarlier', { before: earliest.id }));
		// The person may have moved meanwhile: the page is of the space they asked from, or of none.
		if (!page || page.messages.some((message) => message.space !== space)) return;
		this.chat.set(space, [...page.messages, ...(this.chat.get(space) ?? [])]);
		if (!page.more) this.earlierChat.delete(space);
	}

	/** The tile showing this producer's video is this wide: ask for the simulcast layer that fits. */
	async fitVideo(producerId: string, width: number): Promise<void> {
		const consumer = this.remote.get(producerId)?.consumer;
		if (!consumer || !consumer.appData.simulcast || consumer.closed) return;
		const spatialLayer = width < 320 ? 0 : width < 720 ? 1 : 2;
		if (consumer.appData.spatialLayer === spatialLayer) return;
		consumer.appData.spatialLayer = spatialLayer;
		await ask(this.#socket, 'room:setLayers', { consumerId: consumer.id, spatialLayer }).catch(() => {});
	}

	close(): void {
		this.#exit('left');
	}

	#listen(): void {
		const socket = this.#socket;
		socket.on('connect', () => void this.#join());
		socket.on('disconnect', (reason) => {
			if (this.phase === 'exited') return;
			// The server let this connection go on purpose (revoked, logged out): no coming back.
			if (reason === 'io server disconnect') return this.#exit('revoked');
			this.phase = 'reconnecting';
		});
		socket.on('connect_error', (error) => {
			const code = (error as Error & { data?: { code?: ErrorCode } }).data?.code;
			if (code) this.#exit(code);
			else this.phase = 'reconnecting';
		});
		socket.on('session:ended', () => this.#exit('revoked'));
		socket.on('room:exit', ({ reason }) => this.#exit(reason));
		socket.on('room:peerJoined', (peer) => {
			this.peers = [...this.peers.filter((p) => p.id !== peer.id), peer];
		});
		socket.on('room:peerMoved', (move) => {
			if (move.snapshot) return this.#arrive(move.snapshot);
			this.peers = this.peers.map((p) => (p.id === move.peerId ? { ...p, space: move.space } : p));
		});
		socket.on('room:peerLeft', ({ peerId }) => {
			this.peers = this.peers.filter((p) => p.id !== peerId);
		});
		socket.on('room:newProducer', (producer) => {
			this.#addRemote(producer);
			void this.#consume(producer.id);
		});
		socket.on('room:producerClosed', ({ producerId }) => this.#forget(producerId));
		socket.on('room:consumerClosed', ({ producerId }) => this.#forget(producerId));
		socket.on('room:producerPaused', ({ producerId, paused }) => {
			const media = this.remote.get(producerId);
			if (media) this.remote.set(producerId, { ...media, producer: { ...media.producer, paused } });
		});
		socket.on('room:peerMuted', ({ peerId, source }) => {
			if (peerId !== this.self?.id || source !== 'mic') return;
			this.#producers.get('mic')?.pause();
			this.micOn = false;
			this.mutedByHost = true;
		});
		socket.on('room:activeSpeaker', ({ space, peerId }) => {
			if (space === this.self?.space) this.speakerId = peerId;
		});
		socket.on('room:rebuilt', () => {
			// The server lost every producer with its worker: the peers produce anew and say so.
			for (const producerId of [...this.remote.keys()]) this.#forget(producerId);
			this.#restartMedia();
		});
		socket.on('room:chat', (message) => this.#addChat(message));
		socket.on('room:chatHistory', ({ space, messages, more }) => {
			this.chat.set(space, messages);
			if (more) this.earlierChat.add(space);
			else this.earlierChat.delete(space);
		});
	}

	async #join(): Promise<void> {
		clearTimeout(this.#joinRetry);
		try {
			const snapshot = await ask(this.#socket, 'room:join', { sessionId: this.#sessionId });
			this.phase = 'joined';
			// Whatever media the previous connection had, the server let go with it.
			this.#stopMedia();
			// The snapshot is taken at once: a fact that follows it (an admit) must not be overtaken
			// by it. Media waits for the device, which loads first in the media queue.
			if (!this.#device) {
				const device = loadedDevice(snapshot.rtpCapabilities);
				this.#queueMedia(async () => {
					this.#device = await device;
				});
			}
			this.#arrive(snapshot);
		} catch (error) {
			const code = error instanceof CommandError ? error.code : 'failed';
			if (code !== 'INTERNAL') return this.#exit(code);
			// No answer, or the server failed: it may be starting again. Ask again while connected.
			this.phase = 'reconnecting';
			this.#joinRetry = setTimeout(() => this.#socket.connected && void this.#join(), JOIN_RETRY_MS);
		}
	}

	/** Takes what the server says this person may see now, and starts or stops media to match. */
	#arrive(snapshot: RoomSnapshot): void {
		this.self = snapshot.self;
		this.peers = snapshot.peers;
		this.speakerId = snapshot.speakerId;
		for (const [producerId, media] of this.remote) {
			if (!snapshot.producers.some((p) => p.id === producerId)) {
				media.consumer?.close();
				this.remote.delete(producerId);
			}
		}
		for (const producer of snapshot.producers) if (!this.remote.has(producer.id)) this.#addRemote(producer);
		if (snapshot.self.space === 'lobby') return this.#stopMedia();
		this.#queueMedia(() => this.#startMedia());
	}

	#restartMedia(): void {
		this.#stopMedia();
		if (this.self && this.self.space !== 'lobby') this.#queueMedia(() => this.#startMedia());
	}

	#queueMedia(task: () => Promise<void>): void {
		this.#media = this.#media.then(task).catch(() => {
			this.lastError = 'INTERNAL';
		});
	}

	async #startMedia(): Promise<void> {
		if (!this.#recv) this.#recv = await this.#transport('recv');
		const mayProduce = this.self?.role !== 'observer';
		if (mayProduce && !this.#send && (this.#micTrack || this.cameraTrack)) this.#send = await this.#transport('send');
		if (this.#send) {
			if (this.#micTrack && !this.#producers.has('mic')) {
				const mic = await this.#produce('mic', this.#micTrack);
				if (mic && !this.micOn) {
					mic.pause();
					await ask(this.#socket, 'room:pauseProducer', { producerId: mic.id });
				}
			}
			if (this.cameraOn && this.cameraTrack && !this.#producers.has('camera'))
				await this.#produce('camera', this.cameraTrack);
		}
		await Promise.all([...this.remote.keys()].map((producerId) => this.#consume(producerId)));
	}

	/** Closes transports and with them every producer and consumer; the local tracks stay. */
	#stopMedia(): void {
		this.#send?.close();
		this.#recv?.close();
		this.#send = this.#recv = null;
		this.#producers.clear();
		this.screenOn = false;
		for (const [producerId, media] of this.remote) this.remote.set(producerId, { ...media, consumer: null });
	}

	async #transport(direction: 'send' | 'recv'): Promise<types.Transport> {
		const options = await ask(this.#socket, 'room:createTransport', { direction });
		const device = this.#device!;
		const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
		transport.on('connect', ({ dtlsParameters }, callback, errback) => {
			ask(this.#socket, 'room:connectTransport', {
				transportId: transport.id,
				dtlsParameters: { ...dtlsParameters }
			}).then(() => callback(), errback);
		});
		transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
			const source = appData.source as MediaSource;
			ask(this.#socket, 'room:produce', {
				transportId: transport.id,
				kind,
				rtpParameters: { ...rtpParameters },
				source
			}).then(callback, errback);
		});
		this.#watchIce(transport);
		return transport;
	}

	/** A transport whose ICE failed, or stayed disconnected, restarts ICE; if that fails too, media starts over. */
	#watchIce(transport: types.Transport): void {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const restart = async () => {
			if (transport.closed || !this.#socket.connected) return;
			try {
				const { iceParameters } = await ask(this.#socket, 'room:restartIce', { transportId: transport.id });
				await transport.restartIce({ iceParameters });
			} catch {
				this.#restartMedia();
			}
		};
		transport.on('connectionstatechange', (state) => {
			clearTimeout(timer);
			if (state === 'failed') void restart();
			if (state === 'disconnected') timer = setTimeout(() => void restart(), ICE_GRACE_MS);
		});
	}

	async #produce(source: MediaSource, track: MediaStreamTrack): Promise<types.Producer | undefined> {
		if (!this.#send || this.#producers.has(source)) return undefined;
		const producer = await this.#send.produce({
			track,
			stopTracks: false,
			appData: { source },
			...(source === 'mic' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
			...(source === 'camera' ? { encodings: CAMERA_ENCODINGS } : {})
		});
		this.#producers.set(source, producer);
		if (source === 'screen') this.screenOn = true;
		return producer;
	}

	async #stopProducing(source: MediaSource): Promise<void> {
		const producer = this.#producers.get(source);
		if (source === 'screen') this.screenOn = false;
		if (!producer) return;
		this.#producers.delete(source);
		producer.close();
		if (source === 'screen') producer.track?.stop();
		await ask(this.#socket, 'room:closeProducer', { producerId: producer.id }).catch(() => {});
	}

	async #consume(producerId: string): Promise<void> {
		const media = this.remote.get(producerId);
		const recv = this.#recv;
		if (!media || media.consumer || !recv || !this.#device || this.#consuming.has(producerId)) return;
		// A snapshot and a fact may both name it while the server answers: it is consumed once.
		this.#consuming.add(producerId);
		try {
			const rtpCapabilities = { ...this.#device.rtpCapabilities };
			const offer = await ask(this.#socket, 'room:consume', { producerId, rtpCapabilities });
			const consumer = await recv.consume({
				id: offer.id,
				producerId,
				kind: offer.kind,
				rtpParameters: offer.rtpParameters,
				appData: { simulcast: offer.type === 'simulcast', spatialLayer: null as number | null }
			});
			const current = this.remote.get(producerId);
			if (!current || recv.closed) return consumer.close();
			this.remote.set(producerId, { ...current, consumer });
			await ask(this.#socket, 'room:resumeConsumer', { consumerId: consumer.id });
		} catch {
			// Refused or gone meanwhile: the facts that follow say what became of the producer.
		} finally {
			this.#consuming.delete(producerId);
		}
	}

	/** A peer has one producer per source: a new one takes the place of any the client still holds. */
	#addRemote(producer: ProducerView): void {
		for (const [producerId, media] of this.remote) {
			const { peerId, source } = media.producer;
			if (producerId !== producer.id && peerId === producer.peerId && source === producer.source)
				this.#forget(producerId);
		}
		this.remote.set(producer.id, { producer, consumer: null, stats: NO_STATS });
	}

	#forget(producerId: string): void {
		this.remote.get(producerId)?.consumer?.close();
		this.remote.delete(producerId);
	}

	#addChat(message: ChatMessage): void {
		const list = this.chat.get(message.space) ?? [];
		if (!list.some((m) => m.id === message.id)) this.chat.set(message.space, [...list, message]);
	}

	async #refreshStats(): Promise<void> {
		for (const [producerId, media] of this.remote) {
			const consumer = media.consumer;
			if (!consumer || consumer.closed) continue;
			const report = await consumer.getStats().catch(() => null);
			let bytesReceived = 0;
			let framesDecoded = 0;
			report?.forEach((entry) => {
				if (entry.type !== 'inbound-rtp') return;
				bytesReceived += entry.bytesReceived ?? 0;
				framesDecoded += entry.framesDecoded ?? 0;
			});
			const kbps = Math.max(0, Math.round(((bytesReceived - media.stats.bytesReceived) * 8) / STATS_INTERVAL_MS));
			const current = this.remote.get(producerId);
			if (current?.consumer === consumer)
				this.remote.set(producerId, { ...current, stats: { bytesReceived, framesDecoded, kbps } });
		}
	}

	#exit(reason: ExitReason): void {
		if (this.phase === 'exited') return;
		this.phase = 'exited';
		this.exitReason = reason;
		clearInterval(this.#statsTimer);
		clearTimeout(this.#joinRetry);
		this.#stopMedia();
		this.#micTrack?.stop();
		this.cameraTrack?.stop();
		this.#socket.disconnect();
	}

	/** Runs something the person asked for; a refusal is kept for the page to tell. */
	async #command<T>(run: () => Promise<T>): Promise<T | undefined> {
		this.lastError = null;
		try {
			return await run();
		} catch (error) {
			this.lastError = error instanceof CommandError ? error.code : 'INTERNAL';
			return undefined;
		}
	}
}

const NO_STATS = { bytesReceived: 0, framesDecoded: 0, kbps: 0 };

async function loadedDevice(routerRtpCapabilities: types.RtpCapabilities): Promise<Device> {
	const device = await Device.factory();
	await device.load({ routerRtpCapabilities });
	return device;
}
