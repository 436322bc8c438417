import { pinDeliverySchema, type PinDelivery } from '#shared/notifications.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { notificationSettings } from '../db/schema.ts';
import { listCommittees } from '../orgs/list-committees.ts';
import { parseInput } from '../parse-input.ts';
import { AppError } from '#shared/errors.ts';
import { pinDeliveryOf } from './plan-messages.ts';

/** Each committee an admin oversees and how its invitations carry the PIN. */
export async function listPinDeliveries(
	db: Db,
	actor: Actor
): Promise<{ id: string; name: string; pinDelivery: PinDelivery }[]> {
	authorize(actor, 'settings:manage');
	const committees = await listCommittees(db, actor);
	return Promise.all(
		committees.map(async (c) => ({ id: c.id, name: c.name, pinDelivery: await pinDeliveryOf(db, c.id) }))
	);
}

/** A committee's choice: the PIN in the invitation's message, or in a message of its own (the default). */
export async function setPinDelivery(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<void> {
	authorize(actor, 'settings:manage');
	const { committeeId, pinDelivery } = parseInput(pinDeliverySchema, input);
	const committees = await listCommittees(db, actor);
	if (!committees.some((c) => c.id === committeeId))
		throw new AppError('VALIDATION', { fields: { committeeId: ['invalid'] } });
	await db
		.insert(notificationSettings)
		.values({ committeeId, pinDelivery, updatedAt: now })
		.onConflictDoUpdate({ target: notificationSettings.committeeId, set: { pinDelivery, updatedAt: now } });
}
