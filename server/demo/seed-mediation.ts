import { eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { agreementSchema } from '#shared/agreement-schema.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import type { RecordOutcome } from '#shared/mediation-record.ts';
import type { Actor } from '#shared/roles.ts';
import { freezeDraftVersion, saveDraftVersion } from '../agreements/draft-versions.ts';
import { openDraft } from '../agreements/open-draft.ts';
import { setRecordOutcome } from '../agreements/set-record-outcome.ts';
import type { App } from '../app.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { caseParties, sessionParticipants } from '../db/schema.ts';
import { sealMediationRecord } from '../documents/seal-mediation-record.ts';
import { joinByInvitation } from '../sessions/join-by-invitation.ts';
import type { RoomIdentity } from '../sessions/participant-of.ts';
import { scheduleSession } from '../sessions/schedule-session.ts';
import { arriveOnline, leaveOnline } from '../sessions/session-attendance.ts';
import { sealCaseAgreement } from '../signing/signatures/seal-case-agreement.ts';
import { signAgreement } from '../signing/signatures/sign-agreement.ts';

const MINUTE = 60_000;
const CLIENT = { ip: '127.0.0.1', userAgent: null };
export const paragraph = (text: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text }] });
export const heading = (text: string): JSONContent => ({
	type: 'heading',
	attrs: { level: 2 },
	content: [{ type: 'text', text }]
});

const FAILED_RECORD: JSONContent = {
	type: 'doc',
	content: [
		heading('一、告知当事人权利义务'),
		paragraph('调解员已告知当事人在人民调解活动中享有的权利和承担的义务，当事人表示已经知悉，同意调解。'),
		heading('二、申请人陈述'),
		paragraph('被申请人承包的鱼塘去年起占用我家责任田约半亩，要求退还土地并赔偿两季损失四千元。'),
		heading('三、被申请人陈述'),
		paragraph('鱼塘边界是十年前村里划定的，我没有占地；愿意请村里重新丈量，但不同意赔偿。'),
		heading('四、调查核实情况'),
		paragraph('调解员调取了村委会2015年的土地承包台账，台账记载的界址与现场不一致，需由镇国土所重新测量确认。'),
		heading('五、风险提示'),
		paragraph(
			'调解员向双方说明了土地承包经营权纠纷的处理途径和诉讼成本，提示双方在测量结论出来前不得擅自改变土地现状。'
		),
		heading('六、调解情况'),
		paragraph('双方对界址和赔偿数额分歧较大，均不愿让步。')
	]
};

const FAILED: RecordOutcome = {
	result: 'failed',
	reason: '双方对土地界址和赔偿数额分歧较大，经调解未能达成协议。',
	nextSteps: '当事人可以申请农村土地承包仲裁委员会仲裁，或者向人民法院提起诉讼。'
};

/** A stand-in for a drawn signature: a PNG with the signer's mark, as the signature pad gives one. */
const signatureOf = async (name: string) =>
	new Uint8Array(
		await QRCode.toBuffer(name, { type: 'png', margin: 1, color: { dark: '#141440ff', light: '#00000000' } })
	);

/** Someone signing a draft in the demo: how they are known, what proves it, and their name for the signature. */
type DemoSigner = { identity: RoomIdentity; secret: string; name: string };

/**
 * A mediation `daysAgo` days ago at ten in the morning (the committee's time, UTC+8), with both
 * parties invited and present online for 75 minutes, as the room would have kept it. Returns the
 * session and who can sign its drafts: the parties by their invitation's PIN, the mediator and
 * recorder by `password`.
 */
async function holdMediation(
	app: App,
	{ caseId, mediator, recorder, password, daysAgo }: MediationSeed & { daysAgo: number }
): Promise<{ sessionId: string; parties: DemoSigner[]; staff: DemoSigner[] }> {
	const held = new Date(Date.now() - daysAgo * 24 * 60 * MINUTE);
	held.setUTCHours(2, 0, 0, 0);
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	const { sessionId, invitations } = await scheduleSession(
		app,
		mediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: held.toISOString().slice(0, 16),
			utcOffset: '0',
			title: '第一次调解',
			partyIds: parties.map((party) => party.id),
			recorderId: recorder.id
		},
		null,
		new Date(held.getTime() - 24 * 60 * MINUTE)
	);
	await transitionCase(app, mediator, { caseId, transition: 'start' }, null, held);
	const seats = await app.db.select().from(sessionParticipants).where(eq(sessionParticipants.sessionId, sessionId));
	for (const [index, seat] of seats.entries()) {
		await arriveOnline(app.db, sessionId, seat.id, new Date(held.getTime() + index * MINUTE));
		await leaveOnline(app.db, sessionId, seat.id, new Date(held.getTime() + 75 * MINUTE));
	}
	const signers: DemoSigner[] = [];
	for (const invitation of invitations) {
		const joined = await joinByInvitation(app, invitation.token, { pin: invitation.pin }, CLIENT);
		if (!joined.joined) throw new Error(`demo invitation not accepted: ${joined.state}`);
		signers.push({ identity: { joinToken: joined.joinToken }, secret: invitation.pin, name: invitation.displayName });
	}
	const staff = [mediator, recorder].map((account) => ({
		identity: { actor: account },
		secret: password,
		name: account.displayName
	}));
	return { sessionId, parties: signers, staff };
}

/**
 * Writes `body` into a draft (the session's record, or the case's agreement) as `writer`, sets a
 * record's result, saves and freezes the version, and has every signer sign it: the services the
 * room uses, one after another.
 */
async function writeAndSign(
	app: App,
	request: { sessionId: string } | { caseId: string },
	{
		writer,
		body,
		outcome,
		signers
	}: { writer: Actor; body: JSONContent; outcome?: RecordOutcome; signers: DemoSigner[] }
) {
	const { draft, author } = await openDraft(app.db, { actor: writer }, request, null);
	const live = await app.drafts.live(draft.id);
	const written = new Y.Doc();
	Y.applyUpdate(written, Y.encodeStateAsUpdate(live.doc));
	const before = Y.encodeStateVector(written);
	const fragment = written.getXmlFragment(AGREEMENT_FIELD);
	written.transact(() => fragment.delete(0, fragment.length));
	prosemirrorJSONToYXmlFragment(agreementSchema(), body, fragment);
	await (
		await app.drafts.apply(draft.id, Y.encodeStateAsUpdate(written, before), author)
	).stored;
	const by = { author: { key: `user:${writer.id}`, name: writer.displayName }, userId: writer.id, ip: null };
	if (outcome) await setRecordOutcome(app.db, draft.id, outcome, by);
	const version = await saveDraftVersion(app.db, app.drafts, draft.id, '宣读稿', by);
	await freezeDraftVersion(app.db, app.drafts, draft.id, version.id, by);
	for (const { identity, secret, name } of signers) {
		const input = { versionId: version.id, signature: await signatureOf(name), secret };
		await signAgreement(app, draft.id, input, identity, CLIENT);
	}
	return draft;
}

type MediationSeed = { caseId: string; mediator: Actor; recorder: Actor; password: string };

/**
 * A mediation held yesterday that failed, with its record written, read back, signed by both
 * parties (by their invitations' PINs), the mediator and the recorder, and sealed; then the case
 * fails on it. Everything through the services the room uses. Every account signs with `password`.
 */
export async function seedFailedMediation(app: App, seed: MediationSeed): Promise<void> {
	const { caseId, mediator, recorder } = seed;
	const { sessionId, parties, staff } = await holdMediation(app, { ...seed, daysAgo: 1 });
	const record = await writeAndSign(
		app,
		{ sessionId },
		{ writer: recorder, body: FAILED_RECORD, outcome: FAILED, signers: [...parties, ...staff] }
	);
	await sealMediationRecord(app, { id: record.id, caseId, kind: 'mediation_record', sessionId });
	await transitionCase(
		app,
		mediator,
		{ caseId, transition: 'fail', reason: FAILED.reason, referralTarget: 'arbitration' },
		null
	);
}

/**
 * A mediation held `daysAgo` days ago that succeeded: its record (result agreed) signed and
 * sealed, then the agreement written from `agreement`, signed by both parties and the case's
 * mediator, and sealed, which resolves the case. Returns each party's invitation PIN by name.
 */
export async function seedSettledMediation(
	app: App,
	seed: MediationSeed & { daysAgo: number; record: JSONContent; agreement: JSONContent }
): Promise<{ pins: Map<string, string> }> {
	const { caseId, mediator, recorder } = seed;
	const { sessionId, parties, staff } = await holdMediation(app, seed);
	const record = await writeAndSign(
		app,
		{ sessionId },
		{
			writer: recorder,
			body: seed.record,
			outcome: { result: 'agreed', reason: '', nextSteps: '' },
			signers: [...parties, ...staff]
		}
	);
	await sealMediationRecord(app, { id: record.id, caseId, kind: 'mediation_record', sessionId });
	const agreement = await writeAndSign(
		app,
		{ caseId },
		{ writer: mediator, body: seed.agreement, signers: [...parties, staff[0]] }
	);
	if (!(await sealCaseAgreement(app, agreement.id, caseId))) throw new Error('demo agreement not sealed');
	return { pins: new Map(parties.map((party) => [party.name, party.secret])) };
}
