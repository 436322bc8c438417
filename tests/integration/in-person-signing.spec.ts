import { and, asc, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import {
	agreementSignatures,
	caseEvents,
	sealedAgreements,
	sealedDocuments,
	sessionParticipants,
	storedFiles,
	users
} from '#server/db/schema.ts';
import { markOfficeAttendance } from '#server/sessions/mark-office-attendance.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import type { SessionMode } from '#shared/sessions.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import {
	DraftClient,
	MEDIATOR_PASSWORD,
	paragraph,
	setUpSigningCase,
	type DraftCase
} from '../support/draft-client.ts';
import { jpeg, pdf } from '../support/evidence-samples.ts';
import { pdftotext } from '../support/poppler.ts';
import { sha256 } from '../support/signing-samples.ts';
import { codeOf, connected, replyOf, socketTest } from '../support/socket-client.ts';

/**
 * Signing on the mediator's device in the office (线下调解): a party marked present types their own
 * PIN, a party with neither PIN nor password signs on paper and the mediator attests it with a
 * photo; in a hybrid session the remote party signs on their own device beside them. The sealed
 * PDF's certificate tells how each signed.
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
			return client;
		};
	});

const PLACE = '东村人民调解委员会调解室';
/** The last signature's answer waits for the seal, slow on a busy machine. */
const SEALING = { timeoutMs: 60_000 };

/** A drawn signature stand-in: a real PNG with ink, as a canvas gives. */
const signatureOf = async (name: string) =>
	new Uint8Array(await QRCode.toBuffer(name, { type: 'png', scale: 6, margin: 1 }));

/** A session of the case in the office (or hybrid) with both parties; their new invitations by name. */
async function officeSession(app: App, world: DraftCase, mode: SessionMode) {
	const parties = [world.applicant, world.respondent];
	const { sessionId, invitations } = await scheduleSession(
		app,
		world.network.eastMediator,
		{
			caseId: world.caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 3_600_000).toISOString().slice(0, 16),
			utcOffset: '0',
			mode,
			place: PLACE,
			partyIds: await partyIdsOf(
				app,
				parties.map((p) => p.participantId)
			)
		},
		null
	);
	const invitationOf = (name: string) => invitations.find((i) => i.displayName === name)!;
	const markPresent = (name: string) =>
		markOfficeAttendance(
			app,
			world.network.eastMediator,
			{ caseId: world.caseId, participantId: invitationOf(name).participantId, present: 'true' },
			null
		);
	return { sessionId, invitationOf, markPresent };
}

/** The case parties the guests' participant rows stand for. */
async function partyIdsOf(app: App, participantIds: string[]) {
	const rows = await Promise.all(
		participantIds.map((id) =>
			app.db
				.select({ casePartyId: sessionParticipants.casePartyId })
				.from(sessionParticipants)
				.where(eq(sessionParticipants.id, id))
		)
	);
	return rows.map(([row]) => row.casePartyId!);
}

async function freeze(mediator: DraftClient) {
	await mediator.edit((f) => f.push([paragraph('五、本协议自各方签字并经调解委员会盖章后生效。')]));
	const version = await ask(mediator.socket, 'draft:saveVersion', { draftId: mediator.draftId, name: '签署稿' });
	await ask(mediator.socket, 'draft:freeze', { draftId: mediator.draftId, versionId: version.id });
	return version.id;
}

type Proof = { kind: 'secret'; secret: string } | { kind: 'attested'; password: string; photo: Uint8Array };

/** `signer` (a party's key) signs on `device`, the connection of whoever holds it. */
async function signThere(device: DraftClient, versionId: string, signer: string, proof: Proof) {
	const signature = await signatureOf(signer);
	return replyOf(
		ask(device.socket, 'draft:signInPerson', { draftId: device.draftId, versionId, signer, signature, proof })
	);
}

async function signerKey(device: DraftClient, name: string) {
	const { signers } = await ask(device.socket, 'draft:inPersonSigners', { draftId: device.draftId });
	return signers.find((s) => s.name === name);
}

const signaturesOf = (app: App, versionId: string) =>
	app.db
		.select()
		.from(agreementSignatures)
		.where(eq(agreementSignatures.versionId, versionId))
		.orderBy(asc(agreementSignatures.signedAt));

const eventsOf = (app: App, caseId: string, action: string) =>
	app.db
		.select()
		.from(caseEvents)
		.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, action)));

/** The sealed PDF's text without spaces, once it is there. */
async function sealedText(app: App, caseId: string) {
	const [row] = await app.db.select().from(sealedAgreements).where(eq(sealedAgreements.caseId, caseId));
	return (await pdftotext(new Uint8Array(row.pdf))).replace(/\s+/g, '');
}

describe('signing in person on the mediator device', () => {
	test('a party signs with their PIN, a party without one is attested with a photo; the certificate tells each', async ({
		app,
		world,
		open
	}) => {
		const session = await officeSession(app, world, 'in_person');
		const tablet = await open(world.cookies.mediator);
		const versionId = await freeze(tablet);
		const pinOf = (name: string) => session.invitationOf(name).pin;
		const applicantKey = (await ask(tablet.socket, 'draft:open', { caseId: world.caseId })).signing.signers.find(
			(s) => s.name === '李秀英'
		)!.key;

		// Nobody is marked present yet: nobody signs here.
		expect((await ask(tablet.socket, 'draft:inPersonSigners', { draftId: tablet.draftId })).signers).toEqual([]);
		const absent = await signThere(tablet, versionId, applicantKey, { kind: 'secret', secret: pinOf('李秀英') });
		expect(absent).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', fields: { signer: ['not_present'] } } });

		await session.markPresent('李秀英');
		await session.markPresent('王建国');
		const applicant = (await signerKey(tablet, '李秀英'))!;
		const respondent = (await signerKey(tablet, '王建国'))!;
		expect(applicant).toMatchObject({ key: applicantKey, role: 'party', proof: 'pin', attestable: true });

		// Someone who is not the case's mediator may not run the tablet: the legal expert here.
		const expert = await open(world.cookies.expert);
		expect(codeOf(await signThere(expert, versionId, applicant.key, { kind: 'secret', secret: pinOf('李秀英') }))).toBe(
			'FORBIDDEN'
		);

		// A wrong PIN signs nothing and counts against the invitation of the office session.
		const wrong = String((Number(pinOf('李秀英')) + 1) % 1_000_000).padStart(6, '0');
		expect(codeOf(await signThere(tablet, versionId, applicant.key, { kind: 'secret', secret: wrong }))).toBe(
			'INVALID_CREDENTIALS'
		);
		const [counted] = await app.db
			.select({ failed: sessionParticipants.failedPinAttempts })
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, session.invitationOf('李秀英').participantId));
		expect(counted.failed).toBe(1);
		expect(await eventsOf(app, world.caseId, 'agreement.sign_refused')).toHaveLength(1);

		expect(codeOf(await signThere(tablet, versionId, applicant.key, { kind: 'secret', secret: pinOf('李秀英') }))).toBe(
			'ok'
		);

		// The attestation: a file that is not a photo, or the mediator's wrong password, signs nothing.
		const photo = new Uint8Array(jpeg());
		const attest = (over: Partial<Extract<Proof, { kind: 'attested' }>>) =>
			signThere(tablet, versionId, respondent.key, { kind: 'attested', password: MEDIATOR_PASSWORD, photo, ...over });
		expect(await attest({ photo: new Uint8Array(pdf()) })).toMatchObject({
			ok: false,
			error: { code: 'VALIDATION', fields: { photo: ['not_image'] } }
		});
		expect(codeOf(await attest({ password: 'not-the-password' }))).toBe('INVALID_CREDENTIALS');
		expect(codeOf(await attest({}))).toBe('ok');
		expect((await ask(tablet.socket, 'draft:inPersonSigners', { draftId: tablet.draftId })).signers).toEqual([]);

		// The mediator signs on their own device; the agreement is sealed.
		const own = await signatureOf('调解员');
		await ask(
			tablet.socket,
			'draft:sign',
			{
				draftId: tablet.draftId,
				versionId,
				signature: own,
				secret: MEDIATOR_PASSWORD
			},
			SEALING
		);

		const mediatorId = world.network.eastMediator.id;
		const rows = await signaturesOf(app, versionId);
		expect(rows.map((r) => [r.name, r.method, r.witnessedById, r.paperPhotoId !== null])).toEqual([
			['李秀英', 'in_person_pin', mediatorId, false],
			['王建国', 'attested', mediatorId, true],
			[world.network.eastMediator.displayName, 'own_device', null, false]
		]);
		const [file] = await app.db.select().from(storedFiles).where(eq(storedFiles.id, rows[1].paperPhotoId!));
		expect(file).toMatchObject({ sha256: sha256(photo), mimeType: 'image/jpeg', size: photo.length });

		const [inPerson] = await eventsOf(app, world.caseId, 'agreement.signed_in_person');
		expect(inPerson).toMatchObject({ actorLabel: '李秀英', actorId: null });
		expect(inPerson.data).toMatchObject({ method: 'in_person_pin', witnessedById: mediatorId });
		const [attested] = await eventsOf(app, world.caseId, 'agreement.signature_attested');
		expect(attested).toMatchObject({ actorId: mediatorId });
		expect(attested.data).toMatchObject({ method: 'attested', signerName: '王建国', paperPhotoSha256: sha256(photo) });

		const text = await sealedText(app, world.caseId);
		const mediatorName = world.network.eastMediator.displayName;
		expect(text).toContain(`签署方式：在调解员${mediatorName}设备上当面签署（PIN验证）`);
		expect(text).toContain(`调解员${mediatorName}见证，纸质签名照片SHA-256${sha256(photo)}`);
		expect(text).toContain('签署方式：本人设备签署');
	});

	test('a hybrid session: the remote party signs on their own device, the one in the office on the tablet', async ({
		app,
		world,
		open
	}) => {
		const session = await officeSession(app, world, 'hybrid');
		await session.markPresent('王建国');
		const tablet = await open(world.cookies.mediator);
		const remote = await open(world.applicant.cookie);
		const versionId = await freeze(tablet);

		// The applicant, at home, is not present in the office: she cannot sign on the tablet.
		expect(await signerKey(tablet, '李秀英')).toBeUndefined();
		const respondent = (await signerKey(tablet, '王建国'))!;

		expect(
			codeOf(
				await replyOf(
					ask(remote.socket, 'draft:sign', {
						draftId: remote.draftId,
						versionId,
						signature: await signatureOf('李秀英'),
						secret: world.applicant.pin
					})
				)
			)
		).toBe('ok');
		expect(
			codeOf(
				await signThere(tablet, versionId, respondent.key, {
					kind: 'secret',
					secret: session.invitationOf('王建国').pin
				})
			)
		).toBe('ok');
		await ask(
			tablet.socket,
			'draft:sign',
			{
				draftId: tablet.draftId,
				versionId,
				signature: await signatureOf('调解员'),
				secret: MEDIATOR_PASSWORD
			},
			SEALING
		);

		const rows = await signaturesOf(app, versionId);
		expect(rows.map((r) => [r.name, r.method])).toEqual([
			['李秀英', 'own_device'],
			['王建国', 'in_person_pin'],
			[world.network.eastMediator.displayName, 'own_device']
		]);
		const text = await sealedText(app, world.caseId);
		expect(text).toMatch(/李秀英（申请人）.*签署方式：本人设备签署/);
		expect(text).toMatch(/王建国（被申请人）.*签署方式：在调解员.*设备上当面签署（PIN验证）/);
	});

	test("a session's record is signed in the office the same way, one after another on the mediator's device", async ({
		app,
		world,
		connect
	}) => {
		// The recorder, a member of the committee, signs on their own device with their password.
		const recorderId = world.network.eastMediator2.id;
		const passwordHash = await hashPassword(MEDIATOR_PASSWORD);
		await app.db.update(users).set({ passwordHash }).where(eq(users.id, recorderId));
		const parties = await partyIdsOf(app, [world.applicant.participantId, world.respondent.participantId]);
		const { sessionId, invitations } = await scheduleSession(
			app,
			world.network.eastMediator,
			{
				caseId: world.caseId,
				kind: 'mediation',
				scheduledFor: new Date(Date.now() + 3_600_000).toISOString().slice(0, 16),
				utcOffset: '0',
				mode: 'in_person',
				place: PLACE,
				partyIds: parties,
				recorderId
			},
			null
		);
		for (const { participantId, role } of invitations)
			if (role === 'party')
				await markOfficeAttendance(
					app,
					world.network.eastMediator,
					{ caseId: world.caseId, participantId, present: 'true' },
					null
				);
		const openRecord = async (cookie: string) => {
			const socket = connect({ cookie, auth: {} });
			await connected(socket);
			const client = new DraftClient(socket);
			const opened = await ask(socket, 'draft:open', { sessionId });
			client.draftId = opened.draftId;
			return { client, opened };
		};
		const { client: tablet, opened } = await openRecord(world.cookies.mediator);
		expect(opened.kind).toBe('mediation_record');
		await ask(tablet.socket, 'draft:setRecordOutcome', {
			draftId: tablet.draftId,
			outcome: { result: 'agreed', reason: '', nextSteps: '' }
		});
		const version = await ask(tablet.socket, 'draft:saveVersion', { draftId: tablet.draftId, name: '宣读稿' });
		await ask(tablet.socket, 'draft:freeze', { draftId: tablet.draftId, versionId: version.id });

		// Both parties came to the office: each signs the record on the tablet with the PIN of this session.
		for (const name of ['李秀英', '王建国']) {
			const signer = (await signerKey(tablet, name))!;
			const pin = invitations.find((i) => i.displayName === name)!.pin;
			expect(codeOf(await signThere(tablet, version.id, signer.key, { kind: 'secret', secret: pin }))).toBe('ok');
		}
		await ask(
			tablet.socket,
			'draft:sign',
			{
				draftId: tablet.draftId,
				versionId: version.id,
				signature: await signatureOf('调解员'),
				secret: MEDIATOR_PASSWORD
			},
			SEALING
		);
		const { client: recorder } = await openRecord(world.cookies.mediator2);
		await ask(
			recorder.socket,
			'draft:sign',
			{
				draftId: recorder.draftId,
				versionId: version.id,
				signature: await signatureOf('记录人'),
				secret: MEDIATOR_PASSWORD
			},
			SEALING
		);

		const rows = await signaturesOf(app, version.id);
		expect(rows.map((r) => [r.name, r.role, r.method])).toEqual([
			['李秀英', 'party', 'in_person_pin'],
			['王建国', 'party', 'in_person_pin'],
			[world.network.eastMediator.displayName, 'mediator', 'own_device'],
			[world.network.eastMediator2.displayName, 'recorder', 'own_device']
		]);
		expect(await eventsOf(app, world.caseId, 'record.signed_in_person')).toHaveLength(2);
		const [record] = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.sessionId, sessionId));
		expect(record.kind).toBe('mediation_record');
		const text = (await pdftotext(new Uint8Array(record.pdf))).replace(/\s+/g, '');
		expect(text).toContain(`地点：${PLACE}`);
		expect(text).toContain('李秀英（申请人）：现场');
		expect(text).toContain(`签署方式：在调解员${world.network.eastMediator.displayName}设备上当面签署（PIN验证）`);
	});
});
