import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { describe, expect } from 'vitest';
import { caseEvents, installation, sealedAgreements } from '#server/db/schema.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { TEST_ORIGIN } from '../support/test-app.ts';
import { DraftClient, MEDIATOR_PASSWORD, paragraph, setUpSigningCase } from '../support/draft-client.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';
import { codeOf, connected, replyOf, socketTest } from '../support/socket-client.ts';

/**
 * A sealed agreement carries nothing a signer's client chose: whatever Origin, Host and
 * User-Agent the signers' connections send, the verification link (and its QR code, drawn from
 * the same link) points at the app's configured address, and the certificate names the browser
 * from a fixed list. The full User-Agent stays in the case's audit log.
 */
const FORGED = 'THIS AGREEMENT IS VOID - verify at http://evil.example';
/** What a hostile signer's client sends: a Host and Origin of its own, and a User-Agent with a message in it. */
const CRAFTED = {
	origin: 'http://evil.example',
	host: 'evil.example',
	'user-agent': `${FORGED} (iPhone; CPU iPhone OS 18_1 like Mac OS X) MicroMessenger/8.0.49`
};

const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('world', async ({ app }) => setUpSigningCase(app));

describe('a sealed agreement signed from crafted connections', { timeout: 180_000 }, () => {
	test('links to the configured address and names the browser from the list; the audit log keeps the header', async ({
		app,
		world,
		connect
	}) => {
		const clients: DraftClient[] = [];
		const open = async (cookie: string) => {
			const socket = connect({ cookie, headers: CRAFTED });
			await connected(socket);
			const client = new DraftClient(socket);
			clients.push(client);
			expect(codeOf(await client.open(world.caseId))).toBe('ok');
			await client.sync();
			return client;
		};
		try {
			const mediator = await open(world.cookies.mediator);
			const applicant = await open(world.applicant.cookie);
			const respondent = await open(world.respondent.cookie);
			await mediator.edit((f) => f.push([paragraph('五、本协议自各方签字并经调解委员会盖章后生效。')]));
			const { id: versionId } = await ask(mediator.socket, 'draft:saveVersion', {
				draftId: mediator.draftId,
				name: '签署稿'
			});
			await ask(mediator.socket, 'draft:freeze', { draftId: mediator.draftId, versionId });
			const signature = new Uint8Array(await QRCode.toBuffer('签名', { type: 'png', scale: 6, margin: 1 }));
			for (const [client, secret] of [
				[applicant, world.applicant.pin],
				[respondent, world.respondent.pin],
				[mediator, MEDIATOR_PASSWORD]
			] as const) {
				// The last signature builds and seals the PDF before it replies: on a busy machine that takes a while.
				const reply = await replyOf(
					ask(
						client.socket,
						'draft:sign',
						{ draftId: client.draftId, versionId, signature, secret },
						{ timeoutMs: 90_000 }
					)
				);
				expect(codeOf(reply)).toBe('ok');
			}

			const [row] = await app.db.select().from(sealedAgreements).where(eq(sealedAgreements.caseId, world.caseId));
			const pdf = new Uint8Array(row.pdf);
			expect(await pdfsig(pdf)).toContain('Signature Validation: Signature is Valid.');
			const text = await pdftotext(pdf);
			expect(text).not.toContain('evil.example');
			expect(text).not.toContain('VOID');
			expect(text).not.toContain('MicroMessenger');
			const certificate = (await pdftotext(pdf, { page: row.pages })).replace(/\s+/g, '');
			expect(certificate).toContain(`${TEST_ORIGIN}/verify?agreement=${row.id}`);
			expect(certificate).toContain('设备：微信/iOS');

			const signed = await app.db
				.select({ data: caseEvents.data })
				.from(caseEvents)
				.where(and(eq(caseEvents.caseId, world.caseId), eq(caseEvents.action, 'agreement.signed')));
			expect(signed.map(({ data }) => (data as { userAgent: string }).userAgent)).toEqual(
				Array(3).fill(CRAFTED['user-agent'])
			);
		} finally {
			for (const client of clients) client.destroy();
		}
	});

	test('with no address configured, the last signature seals nothing and says why; set, the mediator seals', async ({
		app,
		world,
		connect
	}) => {
		await app.db.update(installation).set({ publicOrigin: null });
		const socket = connect({ cookie: world.cookies.mediator, headers: CRAFTED });
		await connected(socket);
		const mediator = new DraftClient(socket);
		try {
			await mediator.open(world.caseId);
			await mediator.sync();
			const { id: versionId } = await ask(socket, 'draft:saveVersion', { draftId: mediator.draftId, name: '签署稿' });
			await ask(socket, 'draft:freeze', { draftId: mediator.draftId, versionId });
			const signature = new Uint8Array(await QRCode.toBuffer('签名', { type: 'png', scale: 6, margin: 1 }));
			const sign = async (cookie: string, secret: string) => {
				const signer = connect({ cookie });
				await connected(signer);
				const client = new DraftClient(signer);
				await client.open(world.caseId);
				const reply = await replyOf(
					ask(
						client.socket,
						'draft:sign',
						{ draftId: client.draftId, versionId, signature, secret },
						{ timeoutMs: 90_000 }
					)
				);
				client.destroy();
				return codeOf(reply);
			};
			expect(await sign(world.applicant.cookie, world.applicant.pin)).toBe('ok');
			expect(await sign(world.respondent.cookie, world.respondent.pin)).toBe('ok');
			expect(await sign(world.cookies.mediator, MEDIATOR_PASSWORD)).toBe('PUBLIC_ORIGIN_UNSET');
			expect(await app.db.$count(sealedAgreements)).toBe(0);

			await app.db.update(installation).set({ publicOrigin: 'https://set-later.example.gov.cn' });
			expect(
				codeOf(await replyOf(ask(socket, 'draft:seal', { draftId: mediator.draftId }, { timeoutMs: 90_000 })))
			).toBe('ok');
			const [row] = await app.db.select().from(sealedAgreements);
			const certificate = (await pdftotext(new Uint8Array(row.pdf), { page: row.pages })).replace(/\s+/g, '');
			expect(certificate).toContain(`https://set-later.example.gov.cn/verify?agreement=${row.id}`);
		} finally {
			mediator.destroy();
		}
	});
});
