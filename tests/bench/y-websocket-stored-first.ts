/**
 * The drafting benchmark's floor for storing before passing on: the stock y-websocket server, but
 * every message a client sends is first inserted into PostgreSQL (one prepared statement, committed
 * without waiting for the disk), a connection's messages one after another, and only then handed
 * to y-websocket, which applies it and passes it on. Nothing is checked and nothing acknowledged:
 * what is left of the project's latency above this is its own doing; this above plain y-websocket
 * is what any server pays for storing first, on this machine.
 *
 * Run as a child process: DATABASE_URL, HOST and PORT from the environment.
 */
import { createServer } from 'node:http';
import postgres from 'postgres';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const sql = postgres(process.env.DATABASE_URL!, { max: 1, connection: { synchronous_commit: 'off' } });
await sql`create table if not exists bench_stored_first (id bigserial primary key, update bytea not null)`;

const sockets = new WebSocketServer({ noServer: true });
const server = createServer((_request, response) => response.end('okay'));

sockets.on('connection', (connection: WebSocket, request) => {
	let stored: Promise<unknown> = Promise.resolve();
	// y-websocket listens to 'message' itself: its listener gets each message once it is stored.
	const on = connection.on.bind(connection);
	connection.on = ((event: string, listener: (...args: unknown[]) => void) => {
		if (event !== 'message') return on(event, listener);
		return on('message', (message: RawData) => {
			stored = stored
				.then(() => sql`insert into bench_stored_first (update) values (${message as Buffer})`)
				.then(() => listener(message));
		});
	}) as WebSocket['on'];
	setupWSConnection(connection, request);
});
server.on('upgrade', (request, socket, head) =>
	sockets.handleUpgrade(request, socket, head, (connection) => sockets.emit('connection', connection, request))
);
server.listen(Number(process.env.PORT), process.env.HOST);
