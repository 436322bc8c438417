import { z } from 'zod';
import type { Logger } from '../log.ts';
import type { RoomIdentity } from '../sessions/participant-of.ts';
import type { RedisConnection } from './redis-connection.ts';

const id = z.string().min(1).max(100);

/** A connection of one process, as the owner of its room knows it. */
const connectionCard = z.object({
	id,
	identity: z.custom<RoomIdentity>((value) => typeof value === 'object' && value !== null),
	address: z.string().max(100)
});

/**
 * What processes tell each other about rooms. Payloads and facts are checked where they are used:
 * a command against its schema by the owner, as if it came from a socket.
 */
const clusterMessage = z.discriminatedUnion('kind', [
	/** A socket's room command, forwarded to the room's owner; answered by a `reply` of the same id. */
	z.object({
		kind: z.literal('command'),
		from: id,
		id,
		connection: connectionCard,
		event: z.string().startsWith('room:'),
		payload: z.unknown()
	}),
	z.object({
		kind: z.literal('reply'),
		from: id,
		id,
		reply: z.custom<{ ok: boolean }>((value) => typeof value === 'object')
	}),
	/** A fact of the room for a socket of the process told. */
	z.object({
		kind: z.literal('emit'),
		from: id,
		connectionId: id,
		event: z.string().startsWith('room:'),
		args: z.array(z.unknown())
	}),
	/** The socket disconnected: its peer drops out of the room. */
	z.object({ kind: z.literal('drop'), from: id, connectionId: id }),
	/** The room left its owner: these sockets are to join again, wherever it is now. */
	z.object({ kind: z.literal('relocate'), from: id, connectionIds: z.array(id) })
]);

/** Every message says which process sent it. */
export type ClusterMessage = z.output<typeof clusterMessage>;
type Unsent<M> = M extends unknown ? Omit<M, 'from'> : never;
export type OutgoingMessage = Unsent<ClusterMessage>;
export type ConnectionCard = z.output<typeof connectionCard>;

const channelOf = (processId: string) => `tiaojie:rooms:${processId}`;

/**
 * One Redis channel per process: what is sent to a process arrives in the order sent, so that a
 * command's reply and the facts that follow it reach the socket in that order.
 */
export class ClusterBus {
	readonly #publisher: RedisConnection;
	readonly #processId: string;
	readonly #log: Logger;

	private constructor(publisher: RedisConnection, processId: string, log: Logger) {
		this.#publisher = publisher;
		this.#processId = processId;
		this.#log = log;
	}

	static async open(
		publisher: RedisConnection,
		subscriber: RedisConnection,
		processId: string,
		log: Logger,
		receive: (message: ClusterMessage) => void
	): Promise<ClusterBus> {
		await subscriber.subscribe(channelOf(processId), (text) => {
			let message: ClusterMessage;
			try {
				message = clusterMessage.parse(JSON.parse(text));
			} catch (error) {
				return log.error({ err: error }, 'a cluster message was not understood');
			}
			// One message a turn: a reply's acknowledgement reaches the socket before the facts that followed it.
			setImmediate(() => receive(message));
		});
		return new ClusterBus(publisher, processId, log);
	}

	send(processId: string, message: OutgoingMessage): void {
		this.#publisher
			.publish(channelOf(processId), JSON.stringify({ ...message, from: this.#processId }))
			.catch((error) => this.#log.error({ err: error, to: processId, kind: message.kind }, 'cluster message not sent'));
	}
}
