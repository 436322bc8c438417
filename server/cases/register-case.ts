import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseRegistrationSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { committeeMembers } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { createCase, type CreatedCase } from './create-case.ts';
import { parseIntake } from './parse-intake.ts';
import { committeeById } from './route-case.ts';

/**
 * A mediator registers a case: a walk-in stays with the mediator's own
 * committee; a referral goes to the committee of the dispute's village,
 * noting the committee that referred it.
 */
export async function registerCase(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	files: File[],
	ip: string | null
): Promise<CreatedCase> {
	authorize(actor, 'cases:register');
	const { data, uploads } = await parseIntake(caseRegistrationSchema, input, files);
	const [membership] = await app.db
		.select({ committeeId: committeeMembers.committeeId })
		.from(committeeMembers)
		.where(eq(committeeMembers.userId, actor.id));
	const own = membership && (await committeeById(app.db, membership.committeeId));
	if (!own) throw new AppError('FORBIDDEN');
	return createCase(
		app,
		{
			intake: data,
			channel: data.channel,
			submittedBy: { userId: actor.id },
			registeredById: actor.id,
			...(data.channel === 'walk_in' ? { committee: own } : { referredFromCommitteeId: own.id }),
			applicantLink: false,
			ip
		},
		uploads
	);
}
