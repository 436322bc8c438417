import type { Actor } from '#shared/roles.ts';
import { caseIntakeSchema } from '#shared/validation.ts';
import type { AppCore } from '../app.ts';
import { authorize } from '../auth/authorize.ts';
import { createCase, type CreatedCase } from './create-case.ts';
import { parseIntake } from './parse-intake.ts';

/** A grid worker's report of a dispute they came across; they follow it from their home page. */
export async function reportDispute(
	app: AppCore,
	actor: Actor,
	input: unknown,
	files: File[],
	ip: string | null
): Promise<CreatedCase> {
	authorize(actor, 'disputes:report');
	const { data, uploads } = await parseIntake(caseIntakeSchema, input, files);
	return createCase(
		app,
		{ intake: data, channel: 'grid_report', submittedBy: { userId: actor.id }, reporterId: actor.id, ip },
		uploads
	);
}
