import { and, asc, eq, inArray, isNull, like } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { courtIdSchema, courtSchema, courtUpdateSchema, JUDICIAL_LIMITS, type CourtOption } from '#shared/judicial.ts';
import { normalizePhone } from '#shared/phone-number.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { courts, orgNodes } from '../db/schema.ts';
import { nodeInScope, scopeRoot } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';

/** A court as the admin page lists it under its node. */
export type CourtRow = CourtOption & { orgNodeId: string };

const courtColumns = {
	id: courts.id,
	orgNodeId: courts.orgNodeId,
	name: courts.name,
	address: courts.address,
	phone: courts.phone,
	basic: courts.basic,
	nodeName: orgNodes.name
};

function phoneOf(value: string): string {
	const phone = normalizePhone(value);
	if (!phone) throw new AppError('VALIDATION', { fields: { phone: ['not_a_phone'] } });
	return phone;
}

/** The courts listed on the nodes of the admin's subtree (retired ones left out). */
export async function listCourts(db: Db, actor: Actor): Promise<CourtRow[]> {
	authorize(actor, 'org:manage');
	const root = await scopeRoot(db, actor);
	return db
		.select(courtColumns)
		.from(courts)
		.innerJoin(orgNodes, eq(orgNodes.id, courts.orgNodeId))
		.where(and(like(orgNodes.path, `${root.path}%`), isNull(courts.retiredAt)))
		.orderBy(asc(orgNodes.path), asc(courts.createdAt));
}

/** An admin lists a court on a node of their subtree; at most JUDICIAL_LIMITS.courtsPerNode a node. */
export async function addCourt(db: Db, actor: Actor, input: unknown): Promise<{ id: string }> {
	authorize(actor, 'org:manage');
	const court = parseInput(courtSchema, input);
	const phone = phoneOf(court.phone);
	const node = await nodeInScope(db, actor, court.orgNodeId);
	return db.transaction(async (tx) => {
		await tx.select({ id: orgNodes.id }).from(orgNodes).where(eq(orgNodes.id, node.id)).for('update');
		const listed = await tx.$count(courts, and(eq(courts.orgNodeId, node.id), isNull(courts.retiredAt)));
		if (listed >= JUDICIAL_LIMITS.courtsPerNode) throw new AppError('VALIDATION', { fields: { name: ['too_many'] } });
		const [row] = await tx
			.insert(courts)
			.values({ orgNodeId: node.id, name: court.name, address: court.address, phone, basic: court.basic })
			.returning({ id: courts.id });
		return row;
	});
}

/** A court of the admin's subtree, or NOT_FOUND (a court elsewhere is reported missing). */
async function courtInScope(db: Db, actor: Actor, courtId: string) {
	const [court] = await db
		.select({ id: courts.id, orgNodeId: courts.orgNodeId })
		.from(courts)
		.where(and(eq(courts.id, courtId), isNull(courts.retiredAt)));
	if (!court) throw new AppError('NOT_FOUND');
	await nodeInScope(db, actor, court.orgNodeId);
	return court;
}

/** Corrects a court's name, address, phone or level; applications already made keep the court as it was named. */
export async function updateCourt(db: Db, actor: Actor, input: unknown): Promise<void> {
	authorize(actor, 'org:manage');
	const court = parseInput(courtUpdateSchema, input);
	const phone = phoneOf(court.phone);
	await courtInScope(db, actor, court.courtId);
	await db
		.update(courts)
		.set({ name: court.name, address: court.address, phone, basic: court.basic })
		.where(eq(courts.id, court.courtId));
}

/** Takes a court off the list: applications that named it keep it. */
export async function retireCourt(db: Db, actor: Actor, input: unknown): Promise<void> {
	authorize(actor, 'org:manage');
	const { courtId } = parseInput(courtIdSchema, input);
	await courtInScope(db, actor, courtId);
	await db.update(courts).set({ retiredAt: new Date() }).where(eq(courts.id, courtId));
}

/**
 * The courts an application for a case of the committee at `committeePath` may go to: those
 * listed on the committee's node and its ancestors, the committee's own basic-level court first,
 * then the nearest nodes' courts before those further up.
 */
export async function courtsForCommittee(db: Db, committeePath: string): Promise<CourtOption[]> {
	const ancestorIds = committeePath.split('/').filter(Boolean);
	if (!ancestorIds.length) return [];
	const rows = await db
		.select({ ...courtColumns, path: orgNodes.path })
		.from(courts)
		.innerJoin(orgNodes, eq(orgNodes.id, courts.orgNodeId))
		.where(and(inArray(courts.orgNodeId, ancestorIds), isNull(courts.retiredAt)))
		.orderBy(asc(courts.createdAt));
	const depth = (path: string) => path.split('/').filter(Boolean).length;
	return rows
		.sort((a, b) => Number(b.basic) - Number(a.basic) || depth(b.path) - depth(a.path))
		.map(({ path: _path, orgNodeId: _node, ...court }) => court);
}
