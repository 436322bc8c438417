import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { eq } from 'drizzle-orm';
import { toBase64 } from 'lib0/buffer';
import { describe, expect } from 'vitest';
import { mediationSessions } from '#server/db/schema.ts';
import { ERROR_STATUS } from '#shared/errors.ts';
import { COMMAND_SCHEMAS, MEDIA_SOURCES, type CommandName } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { DraftClient, eventually, roundTrip, setUpDraftCase } from '../support/draft-client.ts';
import {
	codeOf,
	connected,
	socketTest,
	untyped,
	whoami,
	type ClientSocket,
	type Connect
} from '../support/socket-client.ts';

/**
 * A bounded socket fuzz test: a mediator, a party and a guest of another case send random and
 * malformed commands (every command name, unknown names, wrong types, huge and deeply nested
 * payloads, binary, extra and missing arguments, missing acknowledgements, floods) to a real app,
 * from a fixed seed and a fixed number of messages. Afterwards the process is up, every reply
 * that came was a well-formed one (never INTERNAL, never to an unknown name), the other party in
 * the same room and draft still gets the room's and the draft's news, and the heap has come back
 * within a bound. It asserts robustness, not particular limits.
 */
const SEED = 0x7a6f6a65;
const MESSAGES_PER_FUZZER = 300;
/** Heap the fuzzing may leave behind once its connections are gone (the drafts' new versions and comments stay). */
const HEAP_BOUND = 48 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
function heapAfterGc(): number {
	for (let i = 0; i < 3; i++) collectGarbage();
	return process.memoryUsage().heapUsed;
}

type Random = () => number;
const below = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, items: readonly T[]): T => items[below(random, items.length)];
const bytesOf = (random: Random, length: number) => Uint8Array.from({ length }, () => below(random, 256));
const uuid = (random: Random) => {
	const hex = Array.from(bytesOf(random, 16), (b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
const STRING_PARTS = ['a', '调解', ' ', '\u0000', '\n', '\u202e', '😀', '<script>', '%00', '\\', '"', '{{', '=1+1'];
const text = (random: Random, max: number) =>
	Array.from({ length: below(random, max) }, () => pick(random, STRING_PARTS)).join('');

/** Anything at all, a little nested. */
function junk(random: Random, depth = 0): unknown {
	const kinds = depth > 2 ? 6 : 9;
	switch (below(random, kinds)) {
		case 0:
			return null;
		case 1:
			return pick(random, [0, -1, 1.5, 2 ** 53, Number.MAX_VALUE, NaN, Infinity]);
		case 2:
			return random() < 0.5;
		case 3:
			return text(random, 40);
		case 4:
			return bytesOf(random, below(random, 64));
		case 5:
			return uuid(random);
		case 6:
			return Array.from({ length: below(random, 5) }, () => junk(random, depth + 1));
		case 7:
			return Object.fromEntries(
				Array.from({ length: below(random, 5) }, () => [
					pick(random, ['__proto__', 'constructor', 'x', 'draftId']),
					junk(random, depth + 1)
				])
			);
		default:
			return { toString: text(random, 5), valueOf: junk(random, depth + 1) };
	}
}

/** Hundreds of levels deep (as deep as the client's own encoder goes): parsers and validators that recurse must not fall over. */
function nested(depth: number): unknown {
	let value: unknown = 'bottom';
	for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { draftId: value };
	return value;
}

/** The ids this fuzzer may know: the case, draft and session it really is part of (or not). */
type Known = { caseId: string; draftId: string; sessionId: string };

/** A value for a command field by its name: close enough to valid to get past the schema now and then. */
function fieldValue(random: Random, key: string, known: Known): unknown {
	if (random() < 0.2) return junk(random);
	if (key in known && random() < 0.7) return known[key as keyof Known];
	switch (key) {
		case 'memberIds':
			return Array.from({ length: below(random, 25) }, () => uuid(random));
		case 'direction':
			return pick(random, ['send', 'recv', 'sideways']);
		case 'source':
			return pick(random, [...MEDIA_SOURCES, 'tv']);
		case 'kind':
			return pick(random, ['audio', 'video', 'comment', 'suggestion', 'smell']);
		case 'spatialLayer':
			return below(random, 5) - 1;
		case 'allowed':
			return random() < 0.5;
		case 'message':
		case 'update':
			// Now and then a y-protocols header (sync step 1, step 2, update) before the noise.
			return toBase64(Uint8Array.from([below(random, 4), ...bytesOf(random, below(random, 3000))]));
		case 'signature':
			return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...bytesOf(random, below(random, 5000))]);
		case 'body':
		case 'name':
		case 'quote':
		case 'secret':
			return text(random, 3000);
		case 'dtlsParameters':
		case 'rtpParameters':
		case 'rtpCapabilities':
			return junk(random, 1);
		default:
			return key.endsWith('Id') ? uuid(random) : junk(random);
	}
}

/** A payload shaped like the command's, with fields missing, extra, or of the wrong type now and then. */
function payloadFor(random: Random, name: CommandName, known: Known): unknown {
	// Ending the room is the host's right, and would end it for the party watched below too.
	if (name === 'room:end') return random() < 0.5 ? { everyone: 'out' } : junk(random);
	const payload: Record<string, unknown> = {};
	for (const key of Object.keys(COMMAND_SCHEMAS[name].shape)) {
		if (random() > 0.1) payload[key] = fieldValue(random, key, known);
	}
	if (random() < 0.1) payload[pick(random, ['extra', '__proto__', 'constructor'])] = junk(random);
	return payload;
}

const COMMANDS = Object.keys(COMMAND_SCHEMAS) as CommandName[];
const UNKNOWN = [
	'room:explode',
	'draft:drop',
	'admin:resetAll',
	'__proto__',
	'constructor',
	'hasOwnProperty',
	'toString',
	'room:join ',
	'ROOM:JOIN',
	'x'.repeat(10_000),
	'调解'
];
/** Commands cheap enough to flood with. */
const FLOODED: CommandName[] = [
	'account:whoami',
	'room:chat',
	'draft:awareness',
	'draft:sync',
	'draft:comment',
	'room:join'
];

/** What happened to one fuzzer's messages. */
type Tally = { sent: number; replies: unknown[]; unknownReplies: unknown[]; pending: Set<Promise<void>> };

/**
 * Sends one fuzzer's messages. Every reply is collected (each must be well-formed); acknowledgements
 * to unknown names must never come. Messages go out in bursts, each burst awaited until every
 * reply to it has come or the connection has gone.
 */
async function fuzz(socket: ClientSocket, random: Random, known: Known): Promise<Tally> {
	const raw = untyped(socket);
	const tally: Tally = { sent: 0, replies: [], unknownReplies: [], pending: new Set() };
	const gone = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
	const send = (name: string, args: unknown[], ack: boolean) => {
		tally.sent++;
		if (!socket.connected) return;
		if (!ack) return void raw.emit(name, ...args);
		const unknown = !Object.hasOwn(COMMAND_SCHEMAS, name);
		const replied = new Promise<void>((resolve) =>
			raw.emit(name, ...args, (reply: unknown) => {
				(unknown ? tally.unknownReplies : tally.replies).push(reply);
				resolve();
			})
		);
		// An unknown name is answered by nothing: only the connection's end settles it.
		const settled = Promise.race([unknown ? new Promise<void>(() => {}) : replied, gone]);
		if (!unknown) tally.pending.add(settled);
	};
	const hugeLeft = { count: 6 };
	while (tally.sent < MESSAGES_PER_FUZZER) {
		const name = pick(random, COMMANDS);
		const roll = random();
		if (roll < 0.4) send(name, [payloadFor(random, name, known)], true);
		else if (roll < 0.55) send(name, [junk(random)], true);
		else if (roll < 0.62) send(name, below(random, 2) ? [] : [payloadFor(random, name, known), junk(random)], true);
		else if (roll < 0.7) send(name, [payloadFor(random, name, known)], false);
		else if (roll < 0.78) send(pick(random, UNKNOWN), [junk(random)], random() < 0.7);
		else if (roll < 0.82) send(name, [nested(200 + below(random, 800))], true);
		else if (roll < 0.86 && hugeLeft.count-- > 0) {
			// Under Socket.io's 1 MB a message, so that they are read, not dropped with the connection.
			const huge = random() < 0.5 ? 'x'.repeat(900_000) : bytesOf(random, 900_000);
			send(name, [{ ...(payloadFor(random, name, known) as object), body: huge, message: huge }], true);
		} else if (roll < 0.92) {
			const flooded = pick(random, FLOODED);
			for (let i = 0; i < 40; i++) send(flooded, [payloadFor(random, flooded, known)], true);
		}
		if (tally.pending.size >= 25 || tally.sent >= MESSAGES_PER_FUZZER) {
			await Promise.all(tally.pending);
			tally.pending.clear();
		}
	}
	return tally;
}

const test = socketTest.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>);

/** A connection with the cookie, as a browser's. */
async function connectAs(connect: Connect, cookie: string): Promise<ClientSocket> {
	const socket = connect({ cookie, auth: {} });
	await connected(socket);
	return socket;
}

describe('socket fuzzing', () => {
	test(
		'random and malformed commands leave the process up, the others unaffected and the heap bounded',
		{
			timeout: 180_000
		},
		async ({ app, connect }) => {
			const world = await setUpDraftCase(app);
			const [{ id: sessionId }] = await app.db
				.select({ id: mediationSessions.id })
				.from(mediationSessions)
				.where(eq(mediationSessions.caseId, world.caseId));

			// The respondent is in the room's joint space and in the draft, and is left alone.
			const host = await connectAs(connect, world.cookies.mediator);
			await ask(host, 'room:join', { sessionId });
			const watched = new DraftClient(await connectAs(connect, world.respondent.cookie));
			const heard: string[] = [];
			watched.socket.on('room:chat', ({ body }) => heard.push(body));
			const { self } = await ask(watched.socket, 'room:join', { sessionId });
			await ask(host, 'room:admit', { peerId: self.id });
			// The mediator's opening makes the draft; the parties open what is there.
			const hostDraft = new DraftClient(host);
			expect(codeOf(await hostDraft.open(world.caseId))).toBe('ok');
			await hostDraft.sync();
			expect(codeOf(await watched.open(world.caseId))).toBe('ok');
			await watched.sync();
			await hostDraft.append('一、双方同意按现状划定宅基地边界。');
			await eventually(() => watched.text.includes('一、双方同意'));
			host.disconnect();
			const known = { caseId: world.caseId, draftId: watched.draftId, sessionId };
			const baseline = heapAfterGc();

			const fuzzers = await Promise.all(
				[world.cookies.mediator, world.applicant.cookie, world.otherGuest.cookie].map((cookie) =>
					connectAs(connect, cookie)
				)
			);
			const tallies = await Promise.all(fuzzers.map((socket, i) => fuzz(socket, seededRandom(SEED + i), known)));

			// Every reply was a reply: ok with data, or a known error code, and never an internal fault.
			const codes = new Set<string>();
			for (const tally of tallies) {
				expect(tally.sent).toBeGreaterThanOrEqual(MESSAGES_PER_FUZZER);
				expect(tally.unknownReplies).toEqual([]);
				for (const reply of tally.replies) {
					expect(reply).toMatchObject({ ok: expect.any(Boolean) });
					const { ok: succeeded, error } = reply as { ok: boolean; error?: { code: string } };
					if (!succeeded) {
						expect(Object.keys(ERROR_STATUS)).toContain(error?.code);
						codes.add(error!.code);
					}
				}
			}
			expect(codes).not.toContain('INTERNAL');
			// The fuzzers still connected are still answered (if only that they are sending too fast).
			for (const socket of fuzzers.filter((s) => s.connected))
				expect(await whoami(socket)).toMatchObject({ ok: expect.any(Boolean) });
			for (const socket of fuzzers) socket.disconnect();

			// The respondent still hears the room and still follows the draft, and their own sync still works.
			const back = await connectAs(connect, world.cookies.mediator);
			const rejoined = await ask(back, 'room:join', { sessionId });
			const respondentPeer = rejoined.peers.find((peer) => peer.id === self.id);
			expect(respondentPeer).toBeDefined();
			if (respondentPeer?.space === 'lobby') await ask(back, 'room:admit', { peerId: self.id });
			await ask(back, 'room:chat', { body: '我们继续。' });
			await roundTrip(watched.socket);
			expect(heard).toContain('我们继续。');
			const editor = new DraftClient(back);
			await editor.open(world.caseId);
			await editor.sync();
			await editor.append('二、费用各自承担。');
			await eventually(() => watched.text.includes('二、费用各自承担'));
			expect((await watched.sync()).ok).toBe(true);
			expect(watched.text).toBe(editor.text);

			watched.changed.length = 0;
			editor.changed.length = 0;
			expect(heapAfterGc() - baseline).toBeLessThan(HEAP_BOUND);
			watched.destroy();
			editor.destroy();
		}
	);
});
