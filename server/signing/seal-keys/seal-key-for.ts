import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../../db/client.ts';
import { committees, orgNodes, sealKeys } from '../../db/schema.ts';
import { createSealKey } from './create-seal-key.ts';
import type { SealKey } from './seal-key.ts';

export type StoredSealKey = { id: string; key: SealKey };

/**
 * The org node's current seal: its newest key not retired. Called inside a transaction that
 * holds the org node's row lock (see `lockOrgNode`), so nobody adds or retires one meanwhile.
 */
export async function currentSealKey(tx: Db, orgNodeId: string): Promise<StoredSealKey | null> {
	const [row] = await tx
		.select({ id: sealKeys.id, p12: sealKeys.p12, passphrase: sealKeys.passphrase })
		.from(sealKeys)
		.where(and(eq(sealKeys.orgNodeId, orgNodeId), isNull(sealKeys.retiredAt)))
		.orderBy(desc(sealKeys.createdAt))
		.limit(1);
	return row ? { id: row.id, key: { p12: row.p12, passphrase: row.passphrase } } : null;
}

/**
 * Locks the org node's row for the rest of the transaction: the one place where changes of its
 * seal queue up, since no index keeps two current keys apart.
 */
export async function lockOrgNode(
	tx: Db,
	orgNodeId: string
): Promise<{ id: string; name: string; committee: string | null }> {
	const [node] = await tx
		.select({ id: orgNodes.id, name: orgNodes.name })
		.from(orgNodes)
		.where(eq(orgNodes.id, orgNodeId))
		.for('update');
	if (!node) throw new AppError('NOT_FOUND');
	const [committee] = await tx
		.select({ name: committees.name })
		.from(committees)
		.where(eq(committees.orgNodeId, orgNodeId));
	return { ...node, committee: committee?.name ?? null };
}

/** A new generated key for the org node, named after its committee (or the node), stored as current. */
export async function generateSealKey(
	tx: Db,
	node: { id: string; name: string; committee: string | null },
	createdById: string | null = null
): Promise<StoredSealKey> {
	// Kept only in the database, next to the key it opens: it guards the .p12 when exported, not the row.
	const passphrase = randomBytes(24).toString('base64url');
	const { p12, certificate } = createSealKey({ organisation: node.committee ?? node.name, passphrase });
	const [row] = await tx
		.insert(sealKeys)
		.values({
			orgNodeId: node.id,
			p12,
			passphrase,
			fingerprint: certificate.fingerprint,
			organisation: certificate.organisation,
			commonName: certificate.commonName,
			notBefore: certificate.notBefore,
			notAfter: certificate.notAfter,
			source: 'generated',
			createdById
		})
		.returning({ id: sealKeys.id });
	return { id: row.id, key: { p12, passphrase } };
}

/**
 * The seal an org node's agreements are sealed with: its current key, or a new one generated and
 * stored when it has none. Two calls at once give the same key: the second waits on the row lock.
 */
export function sealKeyFor(db: Db, orgNodeId: string): Promise<StoredSealKey> {
	return db.transaction(async (tx) => {
		const node = await lockOrgNode(tx, orgNodeId);
		return (await currentSealKey(tx, node.id)) ?? generateSealKey(tx, node);
	});
}
