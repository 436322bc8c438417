import { desc, eq } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { dayOf, followUpRecordSchema, type FollowUpRecordInput } from '#shared/follow-ups.ts';
import type { Actor } from '#shared/roles.ts';
import { MAX_SIGNATURE_BYTES } from '#shared/signing.ts';
import { authorize } from '../auth/authorize.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { cases, committees, followUps, users } from '../db/schema.ts';
import { areCaseParties, partiesForDocument, partyParticulars } from '../documents/party-particulars.ts';
import { RECORD_WORDS, recordDate } from '../documents/record-words.ts';
import { sealDocumentPdf, storeSealedDocument, type SealingDeps } from '../documents/seal-case-document.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { answersTo, openFollowUp, type FollowUpAnswer } from './open-follow-up.ts';
import { describeDevice } from '../signing/signatures/describe-device.ts';
import { checkSignatureImage, prove, type SigningClient } from '../signing/signatures/sign-agreement.ts';
import { agreementInForce, type AgreementInForce } from './agreement-in-force.ts';
import { FOLLOW_UP_WORDS } from './follow-up-words.ts';
import { followUpVisitors } from './follow-up-visitors.ts';
import { scheduleFirstFollowUps } from './schedule-first-follow-ups.ts';

const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });
const heading = (text: string): AgreementBlock => ({ prefix: '', text, heading: 2 });
const dateOf = (day: string) => recordDate(new Date(`${day}T12:00:00+08:00`));
const VISITOR = '回访人';

/** The 人民调解回访记录 as printed: the note's fields, in the committee's words. */
function recordBlocks(
	kase: { number: string; disputeType: keyof typeof RECORD_WORDS.disputeTypes; facts: string; committee: string },
	agreement: AgreementInForce,
	seq: number,
	fields: FollowUpRecordInput,
	parties: Awaited<ReturnType<typeof partiesForDocument>>,
	reached: string[],
	visitors: string[],
	answers: FollowUpAnswer[]
): AgreementBlock[] {
	const words = FOLLOW_UP_WORDS;
	const visited = dateOf(fields.visitedOn);
	return [
		{ prefix: '', text: '人民调解回访记录', heading: 1 },
		paragraph(`编号：${kase.number}（第 ${seq} 次回访）`),
		paragraph(`纠纷类型：${RECORD_WORDS.disputeTypes[kase.disputeType]}`),
		paragraph(
			agreement.kind === 'agreement'
				? `调解协议：人民调解协议书，${dateOf(agreement.tookEffectOn)}签署生效（SHA-256：${agreement.sha256}）`
				: `调解协议：口头调解协议，${dateOf(agreement.tookEffectOn)}达成生效`
		),
		heading('当事人基本情况'),
		...parties.map(partyParticulars),
		heading('纠纷事项'),
		paragraph(kase.facts),
		heading('回访情况'),
		paragraph(`回访时间：${visited}`),
		paragraph(
			`回访方式：${words.methods[fields.method]}${fields.method === 'in_person' && fields.place ? `（地点：${fields.place}）` : ''}`
		),
		paragraph(`回访对象：${reached.join('、')}`),
		paragraph(`回访人：${visitors.join('、')}`),
		paragraph(`协议履行情况：${words.performance[fields.performance]}`),
		paragraph(`当事人满意度：${words.satisfaction[fields.satisfaction - 1]}`),
		paragraph(`协议达成后有无起诉：${fields.lawsuit ? `有。${fields.lawsuitNote}` : '无'}`),
		paragraph(`发现的纠纷隐患：${fields.risks ?? '无'}`),
		paragraph(`采取的措施：${fields.steps ?? '无'}`),
		...(answers.length
			? [
					heading('当事人线上答复'),
					...answers.map((answer) =>
						paragraph(
							`${answer.party}：${words.performance[answer.performance]}；${words.satisfaction[answer.satisfaction - 1]}；${answer.stillInDispute ? '仍有争议' : '无争议'}${answer.comment ? `；${answer.comment}` : ''}`
						)
					)
				]
			: []),
		...(fields.nextDueOn ? [paragraph(`下次回访：${dateOf(fields.nextDueOn)}前`)] : []),
		paragraph(`${VISITOR}（签名）：`),
		paragraph(`${kase.committee}（印章）`),
		paragraph(visited)
	];
}

/**
 * A mediator who made a follow-up visit records it (the note's 人民调解回访记录): the parties
 * reached, by phone or in person (where), the day, who visited with them, whether the agreement
 * was performed, the parties' satisfaction, any lawsuit since, risks found and steps taken; the
 * parties' answers to this follow-up are printed with it. They sign it with their drawn signature
 * and password; the record is sealed, the follow-up closed, and the next one (if set) opened,
 * together. Refused, changing nothing: bad fields (VALIDATION), a case they may not see
 * (NOT_FOUND), someone not among its visitors (FORBIDDEN), a case without an agreement in force
 * (CONFLICT), a wrong password (INVALID_CREDENTIALS).
 */
export async function recordFollowUp(
	app: SealingDeps & { log: Logger; loginThrottle: LoginThrottle },
	actor: Actor,
	input: unknown,
	signature: Uint8Array,
	client: SigningClient,
	now = new Date()
): Promise<{ followUpId: string; documentId: string }> {
	authorize(actor, 'cases:mediate');
	const fields = parseInput(followUpRecordSchema, input);
	if (signature.byteLength > MAX_SIGNATURE_BYTES)
		throw new AppError('VALIDATION', { fields: { signature: ['too_large'] } });
	checkSignatureImage(signature);
	const row = await findVisibleCase(app.db, actor, fields.caseId);
	const eligible = await followUpVisitors(app.db, row.id);
	const visitor = eligible.find((person) => person.id === actor.id);
	if (!visitor) throw new AppError('FORBIDDEN');
	const agreement = await agreementInForce(app.db, row.id);
	if (!agreement) throw new AppError('CONFLICT');
	const coVisitors = [...new Set(fields.coVisitorIds)].filter((id) => id !== actor.id);
	if (coVisitors.some((id) => !eligible.some((person) => person.id === id))) {
		throw new AppError('VALIDATION', { fields: { coVisitorIds: ['invalid'] } });
	}
	if (!(await areCaseParties(app.db, row.id, fields.partyIds))) {
		throw new AppError('VALIDATION', { fields: { partyIds: ['invalid'] } });
	}
	// Made once the agreement took effect, and not after today.
	if (fields.visitedOn < agreement.tookEffectOn || fields.visitedOn > dayOf(now)) {
		throw new AppError('VALIDATION', { fields: { visitedOn: ['invalid'] } });
	}
	const [account] = await app.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
	const signer = { key: `user:${actor.id}`, name: visitor.name, role: 'mediator' as const };
	await prove(
		app,
		row.id,
		{ ...signer, proof: 'password', passwordHash: account.passwordHash },
		fields.password,
		client,
		'follow_up.sign_refused'
	);

	// The agreement's first follow-up may not be set yet (its listener failed, or it is older than follow-ups).
	await scheduleFirstFollowUps(app, row.id);
	const open = await openFollowUp(app.db, row.id);
	const [last] = await app.db
		.select({ seq: followUps.seq })
		.from(followUps)
		.where(eq(followUps.caseId, row.id))
		.orderBy(desc(followUps.seq))
		.limit(1);
	const seq = open?.seq ?? (last?.seq ?? 0) + 1;
	const [kase] = await app.db
		.select({ committee: committees.name })
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, row.id));
	const parties = await partiesForDocument(app.db, row.id);
	const reached = parties.filter((party) => fields.partyIds.includes(party.id)).map((party) => party.name);
	const visitors = [visitor, ...eligible.filter((person) => coVisitors.includes(person.id))];
	const answers = open ? await answersTo(app.db, open.id) : [];
	const blocks = recordBlocks(
		{ number: row.number, disputeType: row.disputeType, facts: row.facts, committee: kase.committee },
		agreement,
		seq,
		fields,
		parties,
		reached,
		visitors.map((person) => person.name),
		answers
	);
	const sealed = await sealDocumentPdf(app, {
		caseId: row.id,
		kind: 'follow_up_record',
		blocks,
		signers: [
			{
				name: visitor.name,
				role: VISITOR,
				signature,
				signedAt: now,
				ip: client.ip ?? '—',
				device: describeDevice(client.userAgent, 'zh-CN')
			}
		],
		actor: { id: actor.id, label: visitor.name },
		ip: client.ip
	});
	const recorded = await app.db.transaction(async (tx) => {
		// Locked and checked again: another visitor may have recorded it while the PDF was sealed.
		await findVisibleCase(tx, actor, row.id, true);
		const current = await openFollowUp(tx, row.id);
		if ((current?.id ?? null) !== (open?.id ?? null)) throw new AppError('CONFLICT');
		await storeSealedDocument(tx, sealed);
		const record = {
			documentId: sealed.id,
			recordedById: actor.id,
			recordedAt: now,
			method: fields.method,
			place: fields.method === 'in_person' ? (fields.place ?? null) : null,
			visitedOn: fields.visitedOn,
			partyIds: fields.partyIds,
			visitorIds: visitors.map((person) => person.id),
			performance: fields.performance,
			satisfaction: fields.satisfaction,
			lawsuit: fields.lawsuit,
			lawsuitNote: fields.lawsuit ? (fields.lawsuitNote ?? null) : null,
			risks: fields.risks ?? null,
			steps: fields.steps ?? null,
			signature: Buffer.from(signature),
			ip: client.ip,
			userAgent: client.userAgent
		};
		const [saved] = open
			? await tx.update(followUps).set(record).where(eq(followUps.id, open.id)).returning({ id: followUps.id })
			: await tx
					.insert(followUps)
					.values({
						caseId: row.id,
						seq,
						basis: 'next_visit',
						dueOn: fields.visitedOn,
						scheduledById: actor.id,
						...record
					})
					.returning({ id: followUps.id });
		await recordCaseEvent(tx, {
			caseId: row.id,
			actorId: actor.id,
			action: 'follow_up.recorded',
			data: {
				followUpId: saved.id,
				seq,
				documentId: sealed.id,
				method: fields.method,
				visitedOn: fields.visitedOn,
				performance: fields.performance,
				satisfaction: fields.satisfaction,
				lawsuit: fields.lawsuit
			},
			ip: client.ip
		});
		const next = fields.nextDueOn ? await scheduleNext(tx, actor, row.id, seq + 1, fields.nextDueOn, client.ip) : null;
		return { id: saved.id, next };
	});
	app.log.info({ caseId: row.id, actorId: actor.id, documentId: sealed.id }, 'follow-up recorded');
	await app.events.emit('document.sealed', { caseId: row.id, documentId: sealed.id, kind: 'follow_up_record' });
	await app.events.emit('follow_up.recorded', { caseId: row.id, followUpId: recorded.id, documentId: sealed.id });
	if (recorded.next) await app.events.emit('follow_up.scheduled', recorded.next);
	return { followUpId: recorded.id, documentId: sealed.id };
}

/** Opens the case's next follow-up, due on `dueOn`, set by `actor`, in the caller's transaction. */
export async function scheduleNext(
	tx: Db,
	actor: Actor,
	caseId: string,
	seq: number,
	dueOn: string,
	ip: string | null
) {
	const [next] = await tx
		.insert(followUps)
		.values({ caseId, seq, basis: 'next_visit', dueOn, scheduledById: actor.id })
		.returning({ id: followUps.id });
	await recordCaseEvent(tx, {
		caseId,
		actorId: actor.id,
		action: 'follow_up.scheduled',
		data: { followUpId: next.id, seq, dueOn, basis: 'next_visit' },
		ip
	});
	return { caseId, followUpId: next.id, dueOn };
}
