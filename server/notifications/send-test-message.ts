import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { mainlandMobile, testRecipientSchema } from '#shared/notifications.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { committees } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import type { Notifications } from './notifications.ts';

/**
 * An admin sends a test message to a mobile number or an e-mail address, through the queue as
 * every message goes (its state shows on /admin/notifications), signed by the town's committee.
 */
export async function sendTestMessage(
	app: { db: Db; notifications: Notifications },
	actor: Actor,
	input: unknown
): Promise<string | null> {
	authorize(actor, 'settings:manage');
	const { to } = parseInput(testRecipientSchema, input);
	const mobile = mainlandMobile(to);
	const [committee] = await app.db
		.select({ name: committees.name })
		.from(committees)
		.orderBy(asc(committees.createdAt))
		.limit(1);
	const [id] = await app.notifications.tell([
		{
			key: `test|${randomUUID()}`,
			kind: 'test',
			caseId: null,
			recipient: { name: to, userId: null, casePartyId: null, phone: mobile, email: mobile ? null : to },
			committeeName: committee?.name ?? 'Tiaojie',
			params: {}
		}
	]);
	return id ?? null;
}
