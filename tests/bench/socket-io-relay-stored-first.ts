/**
 * The drafting benchmark's floor for the project's fixed choices: the project's draft protocol over
 * Socket.io, as `ProjectTypist` speaks it (`draft:open`, then y-protocols sync messages in
 * acknowledged `draft:sync` commands), each update inserted into PostgreSQL (one prepared
 * statement, committed without waiting for the disk) before it is passed on and acknowledged, and
 * nothing else: no accounts, no checks, no authorship, no versions; a draft is a Y.Doc in memory
 * named by the case id it is opened with.
 *
 * Run as a child process: DATABASE_URL, HOST and PORT from the environment.
 */
import { createServer } from 'node:http';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import postgres from 'postgres';
import { Server } from 'socket.io';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';

type Ack = (reply: unknown) => void;

const sql = postgres(process.env.DATABASE_URL!, { max: 1, connection: { synchronous_commit: 'off' } });
await sql`create table if not exists bench_relay_stored_first (id bigserial primary key, update bytea not null)`;

const drafts = new Map<string, Y.Doc>();
/** A y-protocols message in base64, as the project's draft events carry it. */
const message = (write: (encoder: encoding.Encoder) => void) => {
	const encoder = encoding.createEncoder();
	write(encoder);
	return toBase64(encoding.toUint8Array(encoder));
};

const server = createServer((_request, response) => response.end('okay'));
const io = new Server(server, { serveClient: false, maxHttpBufferSize: 1_000_000 });
io.on('connection', (socket) => {
	let stored: Promise<unknown> = Promise.resolve();
	socket.on('draft:open', async ({ caseId }: { caseId: string }, ack: Ack) => {
		if (!drafts.has(caseId)) drafts.set(caseId, new Y.Doc());
		await socket.join(caseId);
		ack({ ok: true, data: { draftId: caseId } });
	});
	socket.on('draft:sync', ({ draftId, message: text }: { draftId: string; message: string }, ack: Ack) => {
		const doc = drafts.get(draftId)!;
		const decoder = decoding.createDecoder(fromBase64(text));
		if (decoding.readVarUint(decoder) === sync.messageYjsSyncStep1) {
			const stateVector = decoding.readVarUint8Array(decoder);
			const step2 = message((e) => sync.writeSyncStep2(e, doc, stateVector));
			return ack({ ok: true, data: { messages: [step2, message((e) => sync.writeSyncStep1(e, doc))] } });
		}
		const update = decoding.readVarUint8Array(decoder);
		stored = stored
			.then(() => sql`insert into bench_relay_stored_first (update) values (${Buffer.from(update)})`)
			.then(() => {
				Y.applyUpdate(doc, update);
				socket.to(draftId).emit('draft:sync', { draftId, message: message((e) => sync.writeUpdate(e, update)) });
				ack({ ok: true, data: { messages: [] } });
			});
	});
});
server.listen(Number(process.env.PORT), process.env.HOST);
