/**
 * Nothing acknowledged is lost: the production entry on embedded PGlite (the default) and on
 * PostgreSQL is killed with SIGKILL the moment it acknowledges each kind of write, and a restart on
 * the same data finds it there. (Draft edits have their own storm in draft-durability.spec.ts.)
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashPassword } from '#server/auth/password.ts';
import {
	agreementSignatures,
	caseEvidence,
	cases,
	sealedAgreements,
	sessionMessages,
	storedFiles,
	users
} from '#server/db/schema.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { png } from '../support/evidence-samples.ts';
import { connectTo, DraftClient, paragraph, setUpDraftCase, type DraftCase } from '../support/draft-client.ts';
import {
	kill,
	serverStorage,
	startServer,
	withApp,
	type Driver,
	type ServerProcess,
	type ServerStorage
} from '../support/server-process.ts';
import { codeOf, connected, replyOf } from '../support/socket-client.ts';

const DRIVERS: Driver[] = ['pglite', 'postgres'];
const MEDIATOR_PASSWORD = 'mediator-password-1';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(DRIVERS)('acknowledged writes across kill -9 on %s', (driver) => {
	let storage: ServerStorage;
	let world: DraftCase;
	let sessionId: string;
	const sockets: { close(): void }[] = [];

	beforeAll(async () => {
		storage = await serverStorage(driver, 'acknowledged');
		({ world, sessionId } = await withApp(storage, async (app) => {
			const world = await setUpDraftCase(app);
			await app.db
				.update(users)
				.set({ passwordHash: await hashPassword(MEDIATOR_PASSWORD) })
				.where(eq(users.id, world.network.eastMediator.id));
			return { world, sessionId: world.sessionId };
		}));
	}, 120_000);

	afterAll(async () => {
		for (const socket of sockets) socket.close();
		await storage?.remove();
	});

	/** Starts the server, has `write` done on it, and kills it the moment `write` is acknowledged. */
	async function killedAfter<T>(write: (server: ServerProcess) => Promise<T>): Promise<T> {
		const server = await startServer(storage);
		try {
			return await write(server);
		} finally {
			await kill(server);
		}
	}

	async function draftOf(base: string, cookie: string): Promise<DraftClient> {
		const socket = connectTo(base, cookie);
		sockets.push(socket);
		await connected(socket);
		const client = new DraftClient(socket);
		expect((await client.open(world.caseId)).ok).toBe(true);
		expect((await client.sync()).ok).toBe(true);
		return client;
	}

	async function sign(client: DraftClient, versionId: string, secret: string) {
		const signature = new Uint8Array(await QRCode.toBuffer('签名', { type: 'png', scale: 6, margin: 1 }));
		return codeOf(
			await replyOf(ask(client.socket, 'draft:sign', { draftId: client.draftId, versionId, signature, secret }))
		);
	}

	test('an online application with its evidence', async () => {
		const photo = png();
		const number = await killedAfter(async ({ base }) => {
			const form = new FormData();
			const fields = {
				channel: 'online',
				disputeType: 'neighbour',
				facts: '邻居在两家之间的排水沟上砌墙，雨水倒灌进院子，多次协商未果。',
				claims: '拆除砌墙，恢复排水沟。',
				villageId: world.network.nodes.east.id,
				'applicant.name': '孙桂兰',
				'applicant.phone': '13500135000',
				'respondents.0.name': '周国强'
			};
			for (const [name, value] of Object.entries(fields)) form.append(name, value);
			form.append('evidence', new File([new Uint8Array(photo)], '照片.png', { type: 'image/png' }));
			const response = await fetch(`${base}/apply`, {
				method: 'POST',
				body: form,
				headers: { origin: base, accept: 'application/json', 'x-sveltekit-action': 'true' }
			});
			const answer = await response.text();
			expect(answer).toContain('"success"');
			return answer.match(/\d{4}-[A-Z]+-\d{6}/)![0];
		});

		await withApp(storage, async (app) => {
			const [filed] = await app.db.select().from(cases).where(eq(cases.number, number));
			expect(filed).toMatchObject({ status: 'submitted' });
			const evidence = await app.db
				.select({ sha256: storedFiles.sha256, size: storedFiles.size })
				.from(caseEvidence)
				.innerJoin(storedFiles, eq(storedFiles.id, caseEvidence.fileId))
				.where(eq(caseEvidence.caseId, filed.id));
			expect(evidence).toEqual([{ sha256: sha256(photo), size: photo.length }]);
		});
	}, 90_000);

	test('a chat message', async () => {
		const body = '请双方先冷静一下，我们一条一条谈。';
		await killedAfter(async ({ base }) => {
			const socket = connectTo(base, world.cookies.mediator);
			sockets.push(socket);
			await connected(socket);
			await ask(socket, 'room:join', { sessionId });
			await ask(socket, 'room:chat', { body });
		});

		await withApp(storage, async (app) => {
			const said = await app.db.select().from(sessionMessages).where(eq(sessionMessages.sessionId, sessionId));
			expect(said.map((message) => message.body)).toEqual([body]);
		});
	}, 90_000);

	test('each signature, and the agreement the last one seals', async () => {
		const signersOf = (versionId: string) =>
			withApp(storage, async (app) =>
				(
					await app.db
						.select({ name: agreementSignatures.name })
						.from(agreementSignatures)
						.where(eq(agreementSignatures.versionId, versionId))
				)
					.map((signature) => signature.name)
					.sort()
			);

		const versionId = await killedAfter(async ({ base }) => {
			const mediator = await draftOf(base, world.cookies.mediator);
			await mediator.edit((fragment) => fragment.push([paragraph('一、被申请人于本月底前拆除砌墙。')]));
			const version = await ask(mediator.socket, 'draft:saveVersion', { draftId: mediator.draftId, name: '签署稿' });
			await ask(mediator.socket, 'draft:freeze', { draftId: mediator.draftId, versionId: version.id });
			expect(await sign(await draftOf(base, world.applicant.cookie), version.id, world.applicant.pin)).toBe('ok');
			return version.id;
		});
		expect(await signersOf(versionId)).toEqual(['李秀英']);

		await killedAfter(async ({ base }) => {
			expect(await sign(await draftOf(base, world.respondent.cookie), versionId, world.respondent.pin)).toBe('ok');
		});
		expect(await signersOf(versionId)).toEqual(['李秀英', '王建国'].sort());

		// The mediator's is the last: it is acknowledged once the agreement is sealed and stored.
		await killedAfter(async ({ base }) => {
			expect(await sign(await draftOf(base, world.cookies.mediator), versionId, MEDIATOR_PASSWORD)).toBe('ok');
		});
		await withApp(storage, async (app) => {
			const sealed = await app.db
				.select({ sha256: sealedAgreements.sha256, pdf: sealedAgreements.pdf })
				.from(sealedAgreements)
				.where(and(eq(sealedAgreements.caseId, world.caseId), eq(sealedAgreements.versionId, versionId)));
			expect(sealed).toHaveLength(1);
			expect(sha256(sealed[0].pdf)).toBe(sealed[0].sha256);
			const [resolved] = await app.db.select({ status: cases.status }).from(cases).where(eq(cases.id, world.caseId));
			expect(resolved.status).toBe('resolved');
		});
	}, 300_000);
});
