/**
 * A mediation session's record (人民调解记录): a second live draft beside the case's agreement,
 * written by the mediators and the session's recorder while the parties read along; its header
 * filled from the session and the room's attendance; read back, signed online by the parties
 * present, the mediator and the recorder, and sealed as a document of the case. A case fails
 * only with a sealed record that says so.
 */
import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { AppError } from '#shared/errors.ts';
import {
	caseEvents,
	caseParties,
	cases,
	mediationSessions,
	sealedAgreements,
	sealedDocuments,
	sessionAttendance,
	sessionParticipants,
	users
} from '#server/db/schema.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import { verifyDocumentId, verifyPdfFile } from '#server/signing/verification/verify-sealed-document.ts';
import type { DraftChange } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { DraftClient, MEDIATOR_PASSWORD, setUpSigningCase, type DraftCase } from '../support/draft-client.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';
import { codeOf, connected, replyOf, socketTest, type ClientSocket } from '../support/socket-client.ts';

const RECORDER_PASSWORD = 'recorder-password-1';

/** The draft world, with 东村's second mediator (a committee member, not assigned to the case) as the session's recorder. */
async function setUpRecordCase(app: App): Promise<DraftCase & { recorderCookie: string }> {
	const world = await setUpSigningCase(app);
	const recorder = world.network.eastMediator2;
	await app.db
		.update(users)
		.set({ passwordHash: await hashPassword(RECORDER_PASSWORD) })
		.where(eq(users.id, recorder.id));
	await app.db
		.update(mediationSessions)
		.set({ recorderId: recorder.id })
		.where(eq(mediationSessions.id, world.sessionId));
	await app.db
		.insert(sessionParticipants)
		.values({ sessionId: world.sessionId, role: 'mediator', userId: recorder.id, displayName: recorder.displayName });
	return { ...world, recorderCookie: world.cookies.mediator2 };
}

const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('world', async ({ app }) => setUpRecordCase(app))
	.extend('open', async ({ connect, world }, { onCleanup }) => {
		const clients: DraftClient[] = [];
		onCleanup(() => clients.forEach((c) => c.destroy()));
		/** A connection with the session's record (or the case's agreement) open and synced. */
		return async (cookie: string, which: { sessionId?: string; caseId?: string } = { sessionId: world.sessionId }) => {
			const socket = connect({ cookie, auth: {} });
			await connected(socket);
			const client = new DraftClient(socket);
			clients.push(client);
			const reply = await replyOf(ask(socket, 'draft:open', which));
			if (!reply.ok) throw new Error(`draft:open refused: ${reply.error.code}`);
			client.draftId = reply.data.draftId;
			client.snapshot = reply.data;
			expect((await client.sync()).ok).toBe(true);
			return { client, snapshot: reply.data };
		};
	})
	.extend('enter', async ({ connect }, { onCleanup }) => {
		const sockets: ClientSocket[] = [];
		onCleanup(() => sockets.forEach((s) => s.disconnect()));
		/** A connection that joined the session's room. */
		return async (cookie: string, sessionId: string) => {
			const socket = connect({ cookie, auth: {} });
			await connected(socket);
			sockets.push(socket);
			await ask(socket, 'room:join', { sessionId });
			return socket;
		};
	});

/** What the service answered: its result, or the AppError it refused with. */
async function refusalOf<T>(call: Promise<T>): Promise<T | AppError> {
	try {
		return await call;
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
}

const signatureOf = async (name: string) =>
	new Uint8Array(await QRCode.toBuffer(name, { type: 'png', scale: 6, margin: 1 }));

/** The last `draft:changed` snapshot `client` got once `check` holds of it. */
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

const actionsOf = async (app: App, caseId: string) =>
	(await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).map((e) => e.action);

const staysOf = (app: App, sessionId: string) =>
	app.db.select().from(sessionAttendance).where(eq(sessionAttendance.sessionId, sessionId));

/** Polls until `check` holds: what the room does after a socket goes is not answered to anyone. */
async function until(check: () => Promise<boolean>): Promise<void> {
	for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
	expect(await check()).toBe(true);
}

describe('the recorder', () => {
	test('is a member of the case committee, chosen when scheduling a mediation, and joins on its side', async ({
		app,
		world
	}) => {
		const { network, caseId } = world;
		const schedule = (fields: Record<string, unknown>) =>
			refusalOf(
				scheduleSession(
					app,
					network.eastMediator,
					{
						caseId,
						kind: 'mediation',
						scheduledFor: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
						utcOffset: '0',
						partyIds: [],
						...fields
					},
					null
				)
			);
		const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
		const ids = parties.map((p) => p.id);
		// Someone outside 东村's committee is refused at the field.
		const outsider = await schedule({ partyIds: ids, recorderId: network.westMediator.id });
		expect(outsider).toMatchObject({ code: 'VALIDATION', fields: { recorderId: ['invalid'] } });
		const chosen = await schedule({ partyIds: ids, recorderId: network.eastMediator2.id });
		if (chosen instanceof AppError) throw chosen;
		const [session] = await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, chosen.sessionId));
		expect(session.recorderId).toBe(network.eastMediator2.id);
		const [seat] = await app.db
			.select()
			.from(sessionParticipants)
			.where(
				and(eq(sessionParticipants.sessionId, session.id), eq(sessionParticipants.userId, network.eastMediator2.id))
			);
		expect(seat.role).toBe('mediator');
	});
});

describe("a session's record", () => {
	test('is a draft of its own, written by the mediator and the recorder, read by the parties and the expert', async ({
		app,
		world,
		open
	}) => {
		// Before a mediator or the recorder starts it, a party finds nothing.
		const early = await open(world.applicant.cookie).catch((error: Error) => error.message);
		expect(early).toBe('draft:open refused: CONFLICT');

		const { client: mediator, snapshot } = await open(world.cookies.mediator);
		expect(snapshot).toMatchObject({ kind: 'mediation_record', sessionId: world.sessionId, role: 'mediator' });
		expect(snapshot.record?.header).toMatchObject({
			caseNumber: world.caseNumber,
			recorder: world.network.eastMediator2.displayName
		});
		const { client: recorder, snapshot: recorderView } = await open(world.recorderCookie, {
			caseId: world.caseId,
			sessionId: world.sessionId
		});
		expect(recorderView.role).toBe('recorder');
		expect(recorderView.draftId).toBe(snapshot.draftId);
		const { snapshot: agreement } = await open(world.cookies.mediator, { caseId: world.caseId });
		expect(agreement.kind).toBe('agreement');
		expect(agreement.draftId).not.toBe(snapshot.draftId);

		expect(codeOf(await mediator.append('申请人陈述：邻居的排水管漏水，浸湿了我家的墙。'))).toBe('ok');
		expect(codeOf(await recorder.append('被申请人陈述：愿意维修，但对赔偿有异议。'))).toBe('ok');

		const { client: party, snapshot: partyView } = await open(world.applicant.cookie);
		expect(partyView.role).toBe('reader');
		expect(party.doc.getXmlFragment('agreement').toString()).toContain('愿意维修');
		// A party's edit is refused at the socket, and stored nowhere.
		expect(codeOf(await party.append('申请人自己改的记录'))).toBe('FORBIDDEN');
		const { snapshot: expertView } = await open(world.cookies.expert);
		expect(expertView.role).toBe('reader');
		// Only a mediator sets the result.
		const bySomeoneElse = await replyOf(
			ask(recorder.socket, 'draft:setRecordOutcome', {
				draftId: recorder.draftId,
				outcome: { result: 'agreed', reason: '', nextSteps: '' }
			})
		);
		expect(codeOf(bySomeoneElse)).toBe('FORBIDDEN');
		// A failed mediation names why and what the parties may do next.
		const vague = await replyOf(
			ask(mediator.socket, 'draft:setRecordOutcome', {
				draftId: mediator.draftId,
				outcome: { result: 'failed', reason: '', nextSteps: '' }
			})
		);
		expect(codeOf(vague)).toBe('VALIDATION');

		const { client: again } = await open(world.cookies.mediator);
		expect(again.doc.getXmlFragment('agreement').toString()).not.toContain('申请人自己改的记录');
		const actions = await actionsOf(app, world.caseId);
		expect(actions.filter((a) => a === 'record.drafted')).toHaveLength(1);
		expect(actions.filter((a) => a === 'agreement.drafted')).toHaveLength(1);
	});

	test('takes its attendance from the room: a stay opens on joining, closes on leaving, and shows in the header', async ({
		app,
		world,
		enter,
		open
	}) => {
		const mediatorRoom = await enter(world.cookies.mediator, world.sessionId);
		const applicantRoom = await enter(world.applicant.cookie, world.sessionId);
		const stays = await staysOf(app, world.sessionId);
		expect(stays).toHaveLength(2);
		expect(stays.every((s) => s.presence === 'online' && s.leftAt === null)).toBe(true);

		await ask(applicantRoom, 'room:leave', {});
		await until(async () => (await staysOf(app, world.sessionId)).some((s) => s.leftAt !== null));
		const { snapshot } = await open(world.cookies.mediator);
		const attendees = snapshot.record!.header.attendees;
		expect(attendees.map((a) => [a.name, a.side, a.stays.length])).toEqual([
			[world.network.eastMediator.displayName, null, 1],
			['李秀英', 'applicant', 1]
		]);
		expect(attendees[1].stays[0].leftAt).not.toBeNull();
		expect(attendees[0].stays[0].leftAt).toBeNull();

		// The session's end closes every stay still open.
		await ask(mediatorRoom, 'room:end', {});
		await until(async () => (await staysOf(app, world.sessionId)).every((s) => s.leftAt !== null));
	});

	// Sealing prints and signs a PDF on the signing worker, which starts with the first seal: minutes on a busy machine.
	test(
		'is signed online by the parties present, the mediator and the recorder, sealed with the case, and lets the case fail',
		{ timeout: 240_000 },
		async ({ app, world, open, enter }) => {
			// Everyone comes into the room: the parties present are the record's party signers.
			await enter(world.cookies.mediator, world.sessionId);
			await enter(world.recorderCookie, world.sessionId);
			await enter(world.applicant.cookie, world.sessionId);
			await enter(world.respondent.cookie, world.sessionId);
			const { client: mediator } = await open(world.cookies.mediator);
			const { client: recorder } = await open(world.recorderCookie);
			const { client: applicant, snapshot: applicantView } = await open(world.applicant.cookie);
			const { client: respondent } = await open(world.respondent.cookie);
			expect(applicantView.me.signer).toMatchObject({ proof: 'pin' });
			await recorder.append('调查核实情况：经现场查看，排水管接口老化漏水。');

			// The case cannot fail yet: no sealed record says so.
			const failing = { caseId: world.caseId, transition: 'fail', reason: '分歧过大', referralTarget: 'court' };
			const refused = await refusalOf(transitionCase(app, world.network.eastMediator, failing, null));
			expect(refused).toMatchObject({
				code: 'CONFLICT',
				fields: { transition: ['no_failed_record'] }
			});

			// Nothing is frozen before the result is set.
			const version = await ask(mediator.socket, 'draft:saveVersion', { draftId: mediator.draftId, name: '宣读稿' });
			const early = await replyOf(
				ask(mediator.socket, 'draft:freeze', { draftId: mediator.draftId, versionId: version.id })
			);
			expect(codeOf(early)).toBe('CONFLICT');
			await ask(mediator.socket, 'draft:setRecordOutcome', {
				draftId: mediator.draftId,
				outcome: { result: 'failed', reason: '双方对赔偿数额分歧过大', nextSteps: '可以向人民法院提起诉讼' }
			});
			await ask(mediator.socket, 'draft:freeze', { draftId: mediator.draftId, versionId: version.id });

			const sign = async (client: DraftClient, secret: string) =>
				codeOf(
					await replyOf(
						// The last signature is answered once the record is printed and sealed: slow on a busy machine.
						ask(
							client.socket,
							'draft:sign',
							{ draftId: client.draftId, versionId: version.id, signature: await signatureOf(secret), secret },
							{ timeoutMs: 180_000 }
						)
					)
				);
			const firstSeen = changed(mediator, (s) => s.signing.signers.some((x) => x.signedAt));
			expect(await sign(applicant, world.applicant.pin)).toBe('ok');
			const signers = (await firstSeen).signing.signers;
			expect(signers.map((s) => [s.name, s.role])).toEqual([
				['李秀英', 'party'],
				['王建国', 'party'],
				[world.network.eastMediator.displayName, 'mediator'],
				[world.network.eastMediator2.displayName, 'recorder']
			]);
			expect(await sign(respondent, world.respondent.pin)).toBe('ok');
			expect(await sign(mediator, MEDIATOR_PASSWORD)).toBe('ok');
			expect(await app.db.select().from(sealedDocuments)).toHaveLength(0);
			const sealedSeen = changed(mediator, (s) => s.signing.sealed !== null);
			expect(await sign(recorder, RECORDER_PASSWORD)).toBe('ok');
			const sealedView = (await sealedSeen).signing.sealed!;

			const [document] = await app.db.select().from(sealedDocuments);
			expect(document).toMatchObject({
				id: sealedView.id,
				kind: 'mediation_record',
				sessionId: world.sessionId,
				versionId: version.id
			});
			expect(await app.db.select().from(sealedAgreements)).toHaveLength(0);
			const pdf = new Uint8Array(document.pdf);
			const text = (await pdftotext(pdf)).replace(/\s+/g, '');
			for (const expected of [
				'人民调解记录',
				'地点：线上调解室',
				`事由：${world.caseNumber}`,
				'到场人员',
				'李秀英（申请人）：线上',
				'王建国（被申请人）：线上',
				`${world.network.eastMediator2.displayName}（记录人）`,
				'一、告知当事人权利义务',
				'二、申请人陈述',
				'三、被申请人陈述',
				'四、调查核实情况',
				'排水管接口老化漏水',
				'五、风险提示',
				'调解不成。',
				'调解不成的原因：双方对赔偿数额分歧过大',
				'当事人可以采取的途径：可以向人民法院提起诉讼',
				'记录人（签名）'
			])
				expect(text).toContain(expected);
			expect(await pdfsig(pdf)).toMatch(/Signature Validation: Signature is Valid/);
			expect(await verifyDocumentId(app.db, { document: document.id })).toMatchObject({
				status: 'authentic',
				kind: 'mediation_record'
			});
			expect(await verifyPdfFile(app.db, { file: new File([pdf], 'record.pdf') })).toMatchObject({
				kind: 'mediation_record'
			});

			// Sealing the record is no outcome: the case is still in mediation, and may now fail.
			const [kase] = await app.db.select().from(cases).where(eq(cases.id, world.caseId));
			expect(kase.status).toBe('in_mediation');
			await transitionCase(app, world.network.eastMediator, failing, null);
			const [failed] = await app.db.select().from(cases).where(eq(cases.id, world.caseId));
			expect(failed.status).toBe('failed');
			const actions = await actionsOf(app, world.caseId);
			for (const action of [
				'record.outcome_set',
				'record.version_saved',
				'record.frozen',
				'record.signed',
				'document.sealed'
			])
				expect(actions).toContain(action);
			expect(actions.filter((a) => a === 'record.signed')).toHaveLength(4);
		}
	);
});
