import type { App } from '../app.ts';
import type { Actor } from '#shared/roles.ts';
import { dayOf } from '#shared/follow-ups.ts';
import { recordFollowUp } from '../follow-ups/record-follow-up.ts';
import { demoSignature } from './demo-signature.ts';

/**
 * A phone follow-up of a demo case whose agreement is in force, as its mediator (who signs with
 * `password`) records it today: every party reached, the agreement performed in part, the next
 * visit set `nextInDays` ahead when given. For the demo's closed case with a complete file.
 */
export async function seedFollowUp(
	app: App,
	mediator: Actor,
	password: string,
	kase: { id: string; partyIds: string[] },
	nextInDays?: number
): Promise<{ followUpId: string; documentId: string }> {
	const today = dayOf(new Date());
	const next = nextInDays ? dayOf(new Date(Date.now() + nextInDays * 86_400_000)) : undefined;
	return recordFollowUp(
		app,
		mediator,
		{
			caseId: kase.id,
			partyIds: kase.partyIds,
			method: 'phone',
			visitedOn: today,
			performance: 'partly',
			satisfaction: '4',
			lawsuit: 'no',
			risks: '余款尚未付清。',
			steps: '电话督促被申请人按期付清余款。',
			nextDueOn: next,
			password
		},
		demoSignature(),
		{ ip: null, userAgent: 'demo' }
	);
}
