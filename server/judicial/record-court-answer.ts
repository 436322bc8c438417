import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import {
	courtAnswerSchema,
	nextCourtSteps,
	RULING_FILE_MAX_BYTES,
	RULING_FILE_TYPES,
	shanghaiDate,
	type CourtAnswer,
	type CourtStep
} from '#shared/judicial.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { cases, judicialApplications, sealedDocuments, storedFiles } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { readUploads, type Upload } from '../evidence/read-uploads.ts';
import { parseInput } from '../parse-input.ts';
import type { ApplicationRow } from './judicial-agreement.ts';

/** The court's answer as the application row holds it. */
export const answerOf = (row: ApplicationRow): CourtAnswer => ({
	filedOn: row.filedOn,
	accepted: row.accepted,
	acceptanceOn: row.acceptanceOn,
	ruling: row.ruling as CourtAnswer['ruling'],
	rulingOn: row.rulingOn,
	rulingNumber: row.rulingNumber,
	rulingFile: row.rulingFilename ? { filename: row.rulingFilename } : null
});

/** The scan of a ruling: one PDF or photo, at most RULING_FILE_MAX_BYTES; none is fine. */
async function rulingScan(files: File[]): Promise<Upload | null> {
	const chosen = files.filter((file) => file.size > 0 || file.name !== '');
	if (chosen.length > 1) throw new AppError('VALIDATION', { fields: { ruling: ['too_many'] } });
	if (chosen[0] && chosen[0].size > RULING_FILE_MAX_BYTES)
		throw new AppError('PAYLOAD_TOO_LARGE', { fields: { ruling: ['too_large'] } });
	const [upload] = await readUploads(chosen).catch((error: unknown) => {
		if (error instanceof AppError && error.fields?.evidence)
			throw new AppError(error.code, { fields: { ruling: error.fields.evidence } });
		throw error;
	});
	if (upload && !(RULING_FILE_TYPES as readonly string[]).includes(upload.mimeType))
		throw new AppError('VALIDATION', { fields: { ruling: ['scan_type'] } });
	return upload ?? null;
}

/** The day the step before `step` happened: a step cannot come before it. */
function previousDay(row: ApplicationRow, step: CourtStep, sealedOn: string): string {
	if (step === 'filed') return sealedOn;
	if (step === 'accepted' || step === 'not_accepted') return row.filedOn!;
	return row.acceptanceOn!;
}

/**
 * A mediator of the committee records the court's answer to the sealed application, one step at
 * a time in order: filed on, accepted or not (the court decides within 3 days), confirmed or
 * refused (within 15, with the ruling's number and, if at hand, its scan). Days are the court's
 * own, not before the step before and not in the future. Each step is an audit event.
 */
export async function recordCourtAnswer(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	files: File[],
	ip: string | null,
	now = new Date()
): Promise<CourtAnswer> {
	authorize(actor, 'cases:mediate');
	const answer = parseInput(courtAnswerSchema, input);
	const kase = await findVisibleCase(app.db, actor, answer.caseId);
	const scan = ['confirmed', 'refused'].includes(answer.step) ? await rulingScan(files) : null;
	const row = await app.db.transaction(async (tx) => {
		await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, kase.id)).for('no key update');
		const [current] = await tx
			.select({ application: judicialApplications, sealedAt: sealedDocuments.sealedAt })
			.from(judicialApplications)
			.innerJoin(sealedDocuments, eq(sealedDocuments.id, judicialApplications.documentId))
			.where(and(eq(judicialApplications.caseId, kase.id)))
			.orderBy(judicialApplications.startedAt);
		// Only a sealed packet goes to court.
		if (!current) throw new AppError('CONFLICT', { fields: { judicial: ['required'] } });
		const application = current.application;
		if (!nextCourtSteps(answerOf(application)).includes(answer.step))
			throw new AppError('CONFLICT', { fields: { step: ['out_of_order'] } });
		if (answer.on > shanghaiDate(now)) throw new AppError('VALIDATION', { fields: { on: ['in_future'] } });
		if (answer.on < previousDay(application, answer.step, shanghaiDate(current.sealedAt)))
			throw new AppError('VALIDATION', { fields: { on: ['out_of_order'] } });
		const [file] = scan
			? await tx
					.insert(storedFiles)
					.values({ sha256: scan.sha256, mimeType: scan.mimeType, size: scan.size, content: scan.bytes })
					.returning({ id: storedFiles.id })
			: [];
		const change =
			answer.step === 'filed'
				? { filedOn: answer.on }
				: answer.step === 'accepted' || answer.step === 'not_accepted'
					? { accepted: answer.step === 'accepted', acceptanceOn: answer.on }
					: {
							ruling: answer.step,
							rulingOn: answer.on,
							rulingNumber: answer.rulingNumber,
							rulingFileId: file?.id ?? null,
							rulingFilename: scan?.filename ?? null
						};
		const [updated] = await tx
			.update(judicialApplications)
			.set(change)
			.where(eq(judicialApplications.id, application.id))
			.returning();
		await recordCaseEvent(tx, {
			caseId: kase.id,
			actorId: actor.id,
			action: `judicial.${answer.step}`,
			data: {
				applicationId: application.id,
				on: answer.on,
				...(answer.rulingNumber && { rulingNumber: answer.rulingNumber }),
				...(scan && { rulingFile: { filename: scan.filename, sha256: scan.sha256, size: scan.size } })
			},
			ip
		});
		return updated;
	});
	await app.events.emit('judicial.changed', { caseId: kase.id });
	return answerOf(row);
}
