import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseIntakeSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { nodeInScope } from '../orgs/subtree.ts';
import { createCase, type CreatedCase } from './create-case.ts';
import { parseIntake } from './parse-intake.ts';

/**
 * A grid worker's report of a dispute they came across in their grid (their home node and what
 * lies under it); they follow it from their home page. A dispute elsewhere is for that place's
 * grid worker, or comes in online or at a committee: the report is refused, saying so.
 */
export async function reportDispute(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	files: File[],
	ip: string | null
): Promise<CreatedCase> {
	authorize(actor, 'disputes:report');
	const { data, uploads } = await parseIntake(caseIntakeSchema, input, files);
	await nodeInScope(app.db, actor, data.villageId).catch((error: unknown) => {
		if (error instanceof AppError && error.code === 'NOT_FOUND') {
			throw new AppError('VALIDATION', { fields: { villageId: ['outside_grid'] } });
		}
		throw error;
	});
	return createCase(
		app,
		{ intake: data, channel: 'grid_report', submittedBy: { userId: actor.id }, reporterId: actor.id, ip },
		uploads
	);
}
