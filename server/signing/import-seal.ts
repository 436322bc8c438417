import { z } from 'zod';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { sealKeys } from '../db/schema.ts';
import { uniqueField } from '../db/unique-field.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { importSealKey } from './import-seal-key.ts';
import { retireSealKey } from './retire-seal-key.ts';
import { lockOrgNode } from './seal-key-for.ts';
import { MAX_P12_BYTES, type SealCertificate } from './seal-key.ts';
import { sealNode } from './seal-node.ts';

const importSealSchema = z.object({
	orgNodeId: z.uuid('invalid'),
	// A .p12 may be made without a passphrase: an empty one is a passphrase too.
	passphrase: z.string().max(1024, 'too_long').default(''),
	p12: z
		.instanceof(Blob, { error: 'required' })
		.refine((file) => file.size > 0, { error: 'required', abort: true })
		.refine((file) => file.size <= MAX_P12_BYTES, 'too_large')
});

/**
 * An admin's own .p12 becomes the seal of an org node in their subtree: checked (it opens with
 * the passphrase, holds its key and certificate, valid today), stored, and the previous key
 * retired. A refused file changes nothing.
 */
export async function importSeal(
	app: { db: Db; log: Logger },
	actor: Actor,
	input: { orgNodeId?: unknown; passphrase?: unknown; p12?: unknown }
): Promise<{ id: string; certificate: SealCertificate }> {
	authorize(actor, 'org:manage');
	const { orgNodeId, passphrase, p12 } = parseInput(importSealSchema, input);
	const node = await sealNode(app.db, actor, orgNodeId);
	const imported = importSealKey({ p12: new Uint8Array(await p12.arrayBuffer()), passphrase });
	const { certificate } = imported;
	const id = await app.db.transaction(async (tx) => {
		await lockOrgNode(tx, node.id);
		await retireSealKey(tx, node.id);
		// The same certificate twice is one seal: its fingerprint is unique.
		const [row] = await uniqueField('p12', () =>
			tx
				.insert(sealKeys)
				.values({
					orgNodeId: node.id,
					p12: imported.p12,
					passphrase: imported.passphrase,
					fingerprint: certificate.fingerprint,
					organisation: certificate.organisation,
					commonName: certificate.commonName,
					notBefore: certificate.notBefore,
					notAfter: certificate.notAfter,
					source: 'imported',
					createdById: actor.id
				})
				.returning({ id: sealKeys.id })
		);
		return row.id;
	});
	app.log.info(
		{ actorId: actor.id, orgNodeId: node.id, sealKeyId: id, fingerprint: certificate.fingerprint },
		'seal imported'
	);
	return { id, certificate };
}
