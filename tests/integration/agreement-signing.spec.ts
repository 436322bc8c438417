import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { downloadSealedAgreement } from '#server/signing/download-sealed-agreement.ts';
import { agreementSignatures, caseEvents, cases, sealedAgreements, sessionParticipants } from '#server/db/schema.ts';
import type { DraftChange } from '#shared/realtime-events.ts';
import {
	ask,
	codeOf,
	DraftClient,
	MEDIATOR_PASSWORD,
	ok,
	paragraph,
	setUpSigningCase
} from '../support/draft-client.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';
import { sha256 } from '../support/signing-samples.ts';
import { connected, socketTest } from '../support/socket-client.ts';

/**
 * Signing the frozen agreement over the draft's socket: parties by the PIN of their invitation,
 * the mediator by their password; the last signature seals the PDF, which only the case's
 * people may download (the route itself is driven end to end in tests/e2e/agreement-signing.spec.ts).
 */
const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('world', async ({ app }) => setUpSigningCase(app))
	.extend('open', async ({ connect, world }, { onCleanup }) => {
		const clients: DraftClient[] = [];
		onCleanup(() => clients.forEach((c) => c.destroy()));
		return async (cookie: string) => {
			const socket = connect({ cookie, auth: {} });
			await connected(socket);
			const client = new DraftClient(socket);
			clients.push(client);
			const reply = await client.open(world.caseId);
			if (!reply.ok) throw new Error(`draft:open refused: ${reply.error.code}`);
			expect((await client.sync()).ok).toBe(true);
			return { client, snapshot: reply.data };
		};
	});

/** A drawn signature stand-in: a real PNG with ink, as a canvas gives. */
const signatureOf = async (name: string) =>
	new Uint8Array(await QRCode.toBuffer(name, { type: 'png', scale: 6, margin: 1 }));

async function freeze(mediator: DraftClient, name: string) {
	const version = await ok(mediator.socket, 'draft:saveVersion', { draftId: mediator.draftId, name });
	await ok(mediator.socket, 'draft:freeze', { draftId: mediator.draftId, versionId: version.id });
	return version.id;
}

/** The last `draft:changed` snapshot `client` got, once `check` holds of it. */
function changed(client: DraftClient, check: (snapshot: DraftChange) => boolean) {
	return new Promise<DraftChange>((resolve) => {
		const listener = ({ snapshot }: { snapshot: DraftChange }) => {
			if (!check(snapshot)) return;
			client.socket.off('draft:changed', listener);
			resolve(snapshot);
		};
		client.socket.on('draft:changed', listener);
	});
}

const eventsOf = (app: App, caseId: string, action: string) =>
	app.db
		.select()
		.from(caseEvents)
		.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, action)));

describe('signing the frozen agreement', () => {
	test('parties sign with their PIN, the mediator with the password; the last signature seals the PDF and resolves the case', async ({
		app,
		world,
		open
	}) => {
		const { client: mediator, snapshot } = await open(world.cookies.mediator);
		expect(snapshot.me.signer).toMatchObject({ proof: 'password' });
		expect(snapshot.signing).toMatchObject({ versionId: null, complete: false, sealed: null });
		const { client: applicant, snapshot: applicantView } = await open(world.applicant.cookie);
		expect(applicantView.me.signer).toMatchObject({ proof: 'pin' });
		const { client: respondent } = await open(world.respondent.cookie);
		const sign = (c: DraftClient, versionId: string, secret: string, signature?: Uint8Array) =>
			signatureOf('签名').then((png) =>
				ask(c.socket, 'draft:sign', { draftId: c.draftId, versionId, signature: signature ?? png, secret })
			);

		// Nothing is frozen yet: nothing to sign.
		const early = await ask(mediator.socket, 'draft:saveVersion', { draftId: mediator.draftId, name: '草稿' });
		expect(codeOf(await sign(applicant, early.ok ? early.data.id : '', world.applicant.pin))).toBe('CONFLICT');

		await mediator.edit((f) => f.push([paragraph('五、本协议自各方签字并经调解委员会盖章后生效。')]));
		const versionId = await freeze(mediator, '签署稿');

		// A wrong PIN signs nothing and counts against the invitation; a non-image is refused.
		expect(codeOf(await sign(applicant, versionId, '000000'))).toBe('INVALID_CREDENTIALS');
		const [counted] = await app.db
			.select({ failed: sessionParticipants.failedPinAttempts })
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, world.applicant.participantId));
		expect(counted.failed).toBe(1);
		expect(await eventsOf(app, world.caseId, 'agreement.sign_refused')).toHaveLength(1);
		expect(codeOf(await sign(applicant, versionId, world.applicant.pin, new Uint8Array([1, 2, 3])))).toBe('VALIDATION');
		expect(await app.db.select().from(agreementSignatures)).toHaveLength(0);

		// The applicant signs; everyone in the draft sees it.
		const seen = changed(mediator, (s) => s.signing.signers.some((x) => x.name === '李秀英' && x.signedAt));
		expect(codeOf(await sign(applicant, versionId, world.applicant.pin))).toBe('ok');
		const view = (await seen).signing;
		expect(view.signers.map((s) => [s.name, s.role, s.signedAt !== null])).toEqual([
			['李秀英', 'party', true],
			['王建国', 'party', false],
			[world.network.eastMediator.displayName, 'mediator', false],
			[world.network.expert.displayName, 'expert', false]
		]);
		expect(view.complete).toBe(false);
		expect(codeOf(await sign(applicant, versionId, world.applicant.pin))).toBe('CONFLICT');
		const [signed] = await eventsOf(app, world.caseId, 'agreement.signed');
		expect(signed).toMatchObject({ actorLabel: '李秀英', ip: expect.any(String) });
		expect(signed.data).toMatchObject({
			versionId,
			role: 'party',
			imageSha256: expect.stringMatching(/^[0-9a-f]{64}$/)
		});

		// Those with no part in signing are refused.
		const { client: admin } = await open(world.cookies.admin);
		expect(codeOf(await sign(admin, versionId, 'whatever'))).toBe('FORBIDDEN');

		expect(codeOf(await sign(respondent, versionId, world.respondent.pin))).toBe('ok');
		expect(codeOf(await sign(mediator, versionId, 'not-the-password'))).toBe('INVALID_CREDENTIALS');
		const sealedSeen = changed(applicant, (s) => s.signing.sealed !== null);
		expect(codeOf(await sign(mediator, versionId, MEDIATOR_PASSWORD))).toBe('ok');
		const sealed = (await sealedSeen).signing.sealed!;

		const [row] = await app.db.select().from(sealedAgreements).where(eq(sealedAgreements.caseId, world.caseId));
		expect(row).toMatchObject({ id: sealed.id, versionId, sha256: sha256(row.pdf), pages: sealed.pages });
		const pdf = new Uint8Array(row.pdf);
		expect(await pdfsig(pdf)).toContain('Signature Validation: Signature is Valid.');
		const text = (await pdftotext(pdf)).replace(/\s+/g, '');
		for (const expected of [
			'人民调解协议书',
			world.caseNumber,
			'李秀英',
			'王建国',
			'本协议自各方签字并经调解委员会盖章后生效',
			row.textSha256
		]) {
			expect(text).toContain(expected);
		}
		// The optional legal expert comes too late: the sealed PDF is final.
		const { client: expert } = await open(world.cookies.expert);
		expect(codeOf(await sign(expert, versionId, 'any'))).toBe('CONFLICT');
		const [kase] = await app.db.select({ status: cases.status }).from(cases).where(eq(cases.id, world.caseId));
		expect(kase.status).toBe('resolved');
		expect(await eventsOf(app, world.caseId, 'agreement.sealed')).toHaveLength(1);

		// The case's people download it; nobody else does.
		const guest = (cookie: string) => ({ joinToken: cookie.split('=')[1] });
		const { network } = world;
		for (const identity of [
			guest(world.applicant.cookie),
			{ actor: network.eastMediator },
			{ actor: network.expert }
		]) {
			const file = await downloadSealedAgreement(app.db, world.caseId, [identity]);
			expect(file).toMatchObject({ sha256: row.sha256, caseNumber: world.caseNumber });
		}
		for (const identity of [
			guest(world.otherGuest.cookie),
			{ actor: network.eastAdmin },
			{ actor: network.westMediator }
		]) {
			expect(await downloadSealedAgreement(app.db, world.caseId, [identity])).toBe('forbidden');
		}
	});

	test('unfreezing voids the signatures: the new frozen version starts unsigned', async ({ world, open }) => {
		const { client: mediator } = await open(world.cookies.mediator);
		const { client: applicant } = await open(world.applicant.cookie);
		const first = await freeze(mediator, '第一稿');
		const png = await signatureOf('李秀英');
		await ok(applicant.socket, 'draft:sign', {
			draftId: applicant.draftId,
			versionId: first,
			signature: png,
			secret: world.applicant.pin
		});
		// Frozen, the text takes no edit; unfrozen by the mediator, it does.
		expect(codeOf(await mediator.edit((f) => f.push([paragraph('补充条款。')])))).toBe('FORBIDDEN');
		await ok(mediator.socket, 'draft:unfreeze', { draftId: mediator.draftId });
		expect((await mediator.sync()).ok).toBe(true);
		const refused = await ask(applicant.socket, 'draft:sign', {
			draftId: applicant.draftId,
			versionId: first,
			signature: png,
			secret: world.applicant.pin
		});
		expect(codeOf(refused)).toBe('CONFLICT');
		await freeze(mediator, '第二稿');
		const { snapshot } = await open(world.respondent.cookie);
		expect(snapshot.signing.signers.every((s) => s.signedAt === null)).toBe(true);
	});
});
