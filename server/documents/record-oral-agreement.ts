import { eq } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import { canTransition } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { MAX_SIGNATURE_BYTES } from '#shared/signing.ts';
import { oralAgreementSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import { applyTransition } from '../cases/transition-case.ts';
import { cases, committees, oralAgreements } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { signerFor } from '../signing/signatures/case-signers.ts';
import { describeDevice } from '../signing/signatures/describe-device.ts';
import { checkSignatureImage, prove, type SigningClient } from '../signing/signatures/sign-agreement.ts';
import { partiesForDocument, partyParticulars, areCaseParties } from './party-particulars.ts';
import { RECORD_WORDS, recordDate } from './record-words.ts';
import { sealDocumentPdf, storeSealedDocument, type SealingDeps } from './seal-case-document.ts';

/** The day in the committee's zone, as `YYYY-MM-DD`. */
const dayOf = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });
const heading = (text: string): AgreementBlock => ({ prefix: '', text, heading: 2 });
const MEDIATOR = '人民调解员';

/**
 * A mediator of the case registers an oral agreement (口头协议) that settled a simple dispute: the
 * parties who reached it, the matter, what they agreed and how it is performed, the day. They sign
 * it with their drawn signature and password, as they sign an agreement; the 口头调解协议登记表
 * is sealed and the case resolved with the outcome `resolved_orally`, together. Refused, changing
 * nothing: bad fields (VALIDATION), someone not mediating the case (FORBIDDEN), a wrong password
 * (INVALID_CREDENTIALS), a case past mediation (INVALID_TRANSITION).
 */
export async function recordOralAgreement(
	app: SealingDeps & { log: Logger; loginThrottle: LoginThrottle },
	actor: Actor,
	input: unknown,
	signature: Uint8Array,
	client: SigningClient,
	now = new Date()
): Promise<{ documentId: string }> {
	authorize(actor, 'cases:mediate');
	const fields = parseInput(oralAgreementSchema, input);
	if (signature.byteLength > MAX_SIGNATURE_BYTES)
		throw new AppError('VALIDATION', { fields: { signature: ['too_large'] } });
	checkSignatureImage(signature);
	const row = await findVisibleCase(app.db, actor, fields.caseId);
	const signer = await signerFor(app.db, { actor }, { caseId: row.id, kind: 'agreement', sessionId: null });
	if (signer?.role !== 'mediator') throw new AppError('FORBIDDEN');
	if (!canTransition(row.status, 'resolve_orally')) throw new AppError('INVALID_TRANSITION');
	if (!(await areCaseParties(app.db, row.id, fields.partyIds))) {
		throw new AppError('VALIDATION', { fields: { partyIds: ['invalid'] } });
	}
	// Reached once the case was filed, and not after today.
	if (fields.reachedOn < dayOf(row.createdAt) || fields.reachedOn > dayOf(now)) {
		throw new AppError('VALIDATION', { fields: { reachedOn: ['invalid'] } });
	}
	await prove(app, row.id, signer, fields.password, client, 'oral_agreement.sign_refused');

	const [kase] = await app.db
		.select({ committee: committees.name })
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, row.id));
	const parties = await partiesForDocument(app.db, row.id, fields.partyIds);
	const reached = recordDate(new Date(`${fields.reachedOn}T12:00:00+08:00`));
	const blocks: AgreementBlock[] = [
		{ prefix: '', text: '口头调解协议登记表', heading: 1 },
		paragraph(`编号：${row.number}`),
		paragraph(`纠纷类型：${RECORD_WORDS.disputeTypes[row.disputeType]}`),
		paragraph(`达成协议日期：${reached}`),
		heading('当事人基本情况'),
		...parties.map(partyParticulars),
		heading('纠纷事项'),
		paragraph(fields.matter),
		heading('协议内容'),
		paragraph(fields.terms),
		heading('履行方式、时限、地点'),
		paragraph(fields.performance),
		paragraph('以上协议经当事人口头达成，由人民调解员记录。口头调解协议自各方当事人达成协议之日起生效。'),
		paragraph(`${MEDIATOR}（签名）：`),
		paragraph(`${kase.committee}（印章）`),
		paragraph(reached)
	];
	const signedAt = now;
	const sealed = await sealDocumentPdf(app, {
		caseId: row.id,
		kind: 'oral_agreement',
		blocks,
		signers: [
			{
				name: signer.name,
				role: MEDIATOR,
				signature,
				signedAt,
				ip: client.ip ?? '—',
				device: describeDevice(client.userAgent, 'zh-CN')
			}
		],
		actor: { id: actor.id, label: signer.name },
		ip: client.ip
	});
	await app.db.transaction(async (tx) => {
		// Locked and checked again: the case may have moved while the PDF was sealed.
		const locked = await findVisibleCase(tx, actor, row.id, true);
		await storeSealedDocument(tx, sealed);
		await tx.insert(oralAgreements).values({
			caseId: row.id,
			documentId: sealed.id,
			partyIds: parties.map((party) => party.id),
			matter: fields.matter,
			terms: fields.terms,
			performance: fields.performance,
			reachedOn: fields.reachedOn,
			mediatorId: actor.id,
			signature: Buffer.from(signature),
			signedAt,
			ip: client.ip,
			userAgent: client.userAgent
		});
		await applyTransition(
			tx,
			locked,
			{ transition: 'resolve_orally', documentId: sealed.id },
			{ actorId: actor.id },
			client.ip,
			now
		);
	});
	app.log.info({ caseId: row.id, actorId: actor.id, documentId: sealed.id }, 'oral agreement registered');
	await app.events.emit('document.sealed', { caseId: row.id, documentId: sealed.id, kind: 'oral_agreement' });
	await app.events.emit('case.changed', { caseId: row.id });
	return { documentId: sealed.id };
}
