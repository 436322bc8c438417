import { desc, eq, inArray } from 'drizzle-orm';
import type { OrgKind } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../../auth/authorize.ts';
import type { Db } from '../../db/client.ts';
import { sealKeys, users } from '../../db/schema.ts';
import { listOrgTree } from '../../orgs/list-org-tree.ts';

/** A seal's certificate as the admin's page shows it; the key itself never leaves the server. */
export type SealSummary = {
	id: string;
	organisation: string | null;
	commonName: string | null;
	fingerprint: string;
	notBefore: Date;
	notAfter: Date;
	source: 'generated' | 'imported';
	createdAt: Date;
	createdByName: string | null;
	retiredAt: Date | null;
};

export type SealNode = {
	id: string;
	name: string;
	kind: OrgKind;
	depth: number;
	committee: string;
	/** Null until the first agreement is sealed or the admin generates or imports one. */
	current: SealSummary | null;
	/** Newest first; kept to verify what they sealed. */
	retired: SealSummary[];
};

/** The committees' org nodes of the admin's subtree, in tree order, each with its seals. */
export async function listSeals(db: Db, actor: Actor): Promise<SealNode[]> {
	authorize(actor, 'org:manage');
	const nodes = (await listOrgTree(db, actor)).filter((node) => node.committee);
	const rows = nodes.length
		? await db
				.select({
					orgNodeId: sealKeys.orgNodeId,
					id: sealKeys.id,
					organisation: sealKeys.organisation,
					commonName: sealKeys.commonName,
					fingerprint: sealKeys.fingerprint,
					notBefore: sealKeys.notBefore,
					notAfter: sealKeys.notAfter,
					source: sealKeys.source,
					createdAt: sealKeys.createdAt,
					createdByName: users.displayName,
					retiredAt: sealKeys.retiredAt
				})
				.from(sealKeys)
				.leftJoin(users, eq(users.id, sealKeys.createdById))
				.where(
					inArray(
						sealKeys.orgNodeId,
						nodes.map((node) => node.id)
					)
				)
				.orderBy(desc(sealKeys.createdAt))
		: [];
	return nodes.map((node) => {
		const seals = rows
			.filter((row) => row.orgNodeId === node.id)
			.map(({ orgNodeId: _orgNodeId, ...seal }) => ({ ...seal, source: seal.source as SealSummary['source'] }));
		return {
			id: node.id,
			name: node.name,
			kind: node.kind,
			depth: node.depth,
			committee: node.committee!.name,
			current: seals.find((seal) => !seal.retiredAt) ?? null,
			retired: seals.filter((seal) => seal.retiredAt)
		};
	});
}
