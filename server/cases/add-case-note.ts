import type { Actor } from '#shared/roles.ts';
import { caseNoteSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseNotes } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { findVisibleCase } from './case-scope.ts';

/** A mediator's working note on the case; kept in the audit log like every change. */
export async function addCaseNote(app: { db: Db }, actor: Actor, input: unknown, ip: string | null): Promise<void> {
	authorize(actor, 'cases:mediate');
	const { caseId, body } = parseInput(caseNoteSchema, input);
	await app.db.transaction(async (tx) => {
		await findVisibleCase(tx, actor, caseId, true);
		const [note] = await tx
			.insert(caseNotes)
			.values({ caseId, authorId: actor.id, body })
			.returning({ id: caseNotes.id });
		await recordCaseEvent(tx, { caseId, actorId: actor.id, action: 'note.added', data: { noteId: note.id, body }, ip });
	});
}
