import type { types } from 'mediasoup';
import { AppError } from '#shared/errors.ts';
import type { MediaSource, PeerView, SpaceId } from '#shared/realtime-events.ts';
import type { ParticipantRole } from '#shared/sessions.ts';

export type CaucusId = Extract<SpaceId, `caucus:${string}`>;

export const isCaucus = (space: string): space is CaucusId => space.startsWith('caucus:');
export type TransportDirection = 'send' | 'recv';
/** Who a peer is, wherever they are; `noticePending` is false unless said. */
export type PeerInfo = Omit<PeerView, 'space' | 'noticePending'> & { noticePending?: boolean };

export type PeerTransport = types.WebRtcTransport<{ direction: TransportDirection; connected: boolean }>;
/** `peerId` is the producer's owner, also on consumers, so that both say whose media they carry. */
export type PeerProducer = types.Producer<{ peerId: string; source: MediaSource }>;
export type PeerConsumer = types.Consumer<{ peerId: string; source: MediaSource }>;

type MediaObject = {
	readonly id: string;
	readonly closed: boolean;
	close(): void;
	readonly observer: { once(event: 'close', listener: () => void): unknown };
};

/**
 * One person in a room and the media objects they hold on its router. The room decides what a
 * peer may do; the peer only keeps its objects, forgets each one as it closes, and closes them all.
 */
export class Peer {
	readonly id: string;
	readonly displayName: string;
	readonly role: ParticipantRole;
	readonly host: boolean;
	/** Set by the room only, which moves media along with it. */
	space: SpaceId;
	/** Set by the room only: whether the peer waits in the lobby for their acknowledgement of the notice. */
	noticePending: boolean;
	readonly #transports = new Map<string, PeerTransport>();
	readonly #producers = new Map<string, PeerProducer>();
	readonly #consumers = new Map<string, PeerConsumer>();
	#closed = false;

	constructor(info: PeerInfo, space: SpaceId) {
		this.id = info.id;
		this.displayName = info.displayName;
		this.role = info.role;
		this.host = info.host;
		this.noticePending = info.noticePending ?? false;
		this.space = space;
	}

	get closed(): boolean {
		return this.#closed;
	}

	get info(): PeerView {
		const { id, displayName, role, host, noticePending, space } = this;
		return { id, displayName, role, host, noticePending, space };
	}

	get producers(): PeerProducer[] {
		return [...this.#producers.values()];
	}

	get consumers(): PeerConsumer[] {
		return [...this.#consumers.values()];
	}

	/** The peer's own transport with this id; an id of anyone else's, here or in another room, is not found. */
	transport(id: string): PeerTransport {
		return found(this.#transports.get(id));
	}

	transportFor(direction: TransportDirection): PeerTransport | undefined {
		return this.#find(this.#transports, (transport) => transport.appData.direction === direction);
	}

	producer(id: string): PeerProducer {
		return found(this.#producers.get(id));
	}

	producerOf(source: MediaSource): PeerProducer | undefined {
		return this.#find(this.#producers, (producer) => producer.appData.source === source);
	}

	consumer(id: string): PeerConsumer {
		return found(this.#consumers.get(id));
	}

	consumerOf(producerId: string): PeerConsumer | undefined {
		return this.#find(this.#consumers, (consumer) => consumer.producerId === producerId);
	}

	addTransport(transport: PeerTransport): void {
		this.#keep(this.#transports, transport);
	}

	addProducer(producer: PeerProducer): void {
		this.#keep(this.#producers, producer);
	}

	addConsumer(consumer: PeerConsumer): void {
		this.#keep(this.#consumers, consumer);
	}

	/** Closes the transports, and with them every producer and consumer on them. */
	closeMedia(): void {
		for (const transport of this.#transports.values()) transport.close();
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.closeMedia();
	}

	dump() {
		return {
			...this.info,
			transports: [...this.#transports.keys()],
			producers: this.producers.map((p) => ({ id: p.id, source: p.appData.source, paused: p.paused })),
			consumers: this.consumers.map((c) => ({
				id: c.id,
				producerId: c.producerId,
				paused: c.paused,
				spatialLayer: c.preferredLayers?.spatialLayer
			}))
		};
	}

	/**
	 * Media objects are created across awaits, during which the peer may have left or the worker
	 * died: what arrives closed, or for a closed peer, is closed and refused.
	 */
	#keep<T extends MediaObject>(objects: Map<string, T>, object: T): void {
		if (this.#closed || object.closed) {
			object.close();
			throw new AppError('CONFLICT');
		}
		objects.set(object.id, object);
		object.observer.once('close', () => objects.delete(object.id));
	}

	#find<T>(objects: Map<string, T>, test: (object: T) => boolean): T | undefined {
		for (const object of objects.values()) if (test(object)) return object;
		return undefined;
	}
}

function found<T>(object: T | undefined): T {
	if (!object) throw new AppError('NOT_FOUND');
	return object;
}
