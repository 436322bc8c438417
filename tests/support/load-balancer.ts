import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A layer-4 (TCP) load balancer for the tests, standing where nginx or HAProxy would before a
 * cluster of app processes: each new connection goes to the next backend in turn, a backend that
 * refuses it (a dead or stopping process) is skipped, and the bytes are piped both ways. It knows
 * nothing of HTTP or WebSockets, so pages, cookies and sockets pass as they would in production.
 * `pin` sends the next connections to one backend first, so that a test decides which process
 * each page's socket lands on.
 */
export class LoadBalancer {
	readonly port: number;
	readonly #server: Server;
	readonly #backends: number[];
	/** Every connection open through the balancer, client side and backend side. */
	readonly #sockets = new Set<Socket>();
	#next = 0;
	#pinned: number | undefined;

	/** Listens on 127.0.0.1:`port` in front of the app processes listening on 127.0.0.1:`backends`. */
	static async listen(port: number, backends: number[]): Promise<LoadBalancer> {
		if (backends.length === 0) throw new TypeError('a load balancer needs at least one backend');
		const balancer = new LoadBalancer(port, backends);
		balancer.#server.listen(port, '127.0.0.1');
		await once(balancer.#server, 'listening');
		return balancer;
	}

	private constructor(port: number, backends: number[]) {
		this.port = port;
		this.#backends = [...backends];
		this.#server = createServer((client) => this.#accept(client));
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** New connections go to backend `index` while it takes them (else on in turn). */
	pin(index: number): void {
		if (!Number.isInteger(index) || index < 0 || index >= this.#backends.length) {
			throw new RangeError(`no backend ${index}`);
		}
		this.#pinned = index;
	}

	/** New connections go to each backend in turn. */
	roundRobin(): void {
		this.#pinned = undefined;
	}

	/** Stops listening and cuts every connection still open. Idempotent. */
	async close(): Promise<void> {
		for (const socket of this.#sockets) socket.destroy();
		if (!this.#server.listening) return;
		const closed = once(this.#server, 'close');
		this.#server.close();
		await closed;
	}

	#track(socket: Socket): void {
		this.#sockets.add(socket);
		socket.once('close', () => this.#sockets.delete(socket));
	}

	async #accept(client: Socket): Promise<void> {
		this.#track(client);
		// A client that gives up while a backend is sought needs no backend.
		client.on('error', () => client.destroy());
		const first = this.#pinned ?? this.#next;
		this.#next = (first + 1) % this.#backends.length;
		for (let tried = 0; tried < this.#backends.length && !client.destroyed; tried++) {
			const upstream = await this.#reach(this.#backends[(first + tried) % this.#backends.length]);
			if (!upstream) continue;
			if (client.destroyed) return void upstream.destroy();
			this.#track(upstream);
			// Either end going away takes the other with it, as a proxy's connection pair does.
			const drop = () => {
				client.destroy();
				upstream.destroy();
			};
			for (const socket of [client, upstream]) socket.on('error', drop).on('close', drop);
			client.pipe(upstream).pipe(client);
			return;
		}
		client.destroy();
	}

	/** A connection to the backend on `port`, or undefined when it is refused. */
	#reach(port: number): Promise<Socket | undefined> {
		return new Promise((resolve) => {
			const upstream = connect(port, '127.0.0.1');
			upstream.once('connect', () => {
				upstream.removeAllListeners('error');
				resolve(upstream);
			});
			upstream.once('error', () => {
				upstream.destroy();
				resolve(undefined);
			});
		});
	}
}
