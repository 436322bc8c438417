import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { sealKeys } from '#server/db/schema.ts';
import { createCommittee } from '#server/orgs/create-committee.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { importSeal } from '#server/signing/seal-keys/import-seal.ts';
import { importSealKey } from '#server/signing/seal-keys/import-seal-key.ts';
import { listSeals } from '#server/signing/seal-keys/list-seals.ts';
import { renewSeal } from '#server/signing/seal-keys/renew-seal.ts';
import { sealKeyFor } from '#server/signing/seal-keys/seal-key-for.ts';
import { MAX_P12_BYTES } from '#server/signing/seal-keys/seal-key.ts';
import type { Actor } from '#shared/roles.ts';
import { actorOfUser, addOrgNode, addUser, expectAppError, test } from '../support/integration-test.ts';

const TOWN_COMMITTEE = '青石镇人民调解委员会';
const PASSPHRASE = 'the committee passphrase';
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

const sealsOf = (app: App, orgNodeId: string) =>
	app.db.select().from(sealKeys).where(eq(sealKeys.orgNodeId, orgNodeId)).orderBy(sealKeys.createdAt);

/** An admin's own .p12, as a file from the import form. */
function p12File(options: { organisation?: string; passphrase?: string; now?: Date } = {}) {
	const seal = createSealKey({
		organisation: options.organisation ?? '青石镇司法所',
		passphrase: options.passphrase ?? PASSPHRASE,
		now: options.now
	});
	return { file: new File([seal.p12 as Uint8Array<ArrayBuffer>], 'seal.p12'), certificate: seal.certificate };
}

async function villageWithCommittee(app: App, admin: Actor) {
	const village = await addOrgNode(app, admin, { id: admin.orgNodeId! }, 'village', '东村');
	await createCommittee(app, admin, { orgNodeId: village.id, name: '东村人民调解委员会' });
	return village;
}

describe('the seal generated at setup', () => {
	test('the town has one current generated seal, named after its committee, that opens and is valid ten years', async ({
		app,
		town
	}) => {
		const [seal, ...others] = await sealsOf(app, town.townId);
		expect(others).toEqual([]);
		expect(seal).toMatchObject({
			source: 'generated',
			organisation: TOWN_COMMITTEE,
			commonName: TOWN_COMMITTEE,
			retiredAt: null,
			createdById: null
		});
		expect((seal.notAfter.getTime() - seal.notBefore.getTime()) / YEAR_MS).toBeCloseTo(10, 1);
		const opened = importSealKey({ p12: seal.p12, passphrase: seal.passphrase });
		expect(opened.certificate.fingerprint).toBe(seal.fingerprint);
	});
});

describe('sealKeyFor', () => {
	test("gives the town's setup seal, the same one every time", async ({ app, town }) => {
		const [stored] = await sealsOf(app, town.townId);
		const first = await sealKeyFor(app.db, town.townId);
		const second = await sealKeyFor(app.db, town.townId);
		expect(first.id).toBe(stored.id);
		expect(second.id).toBe(stored.id);
		expect(first.key.passphrase).toBe(stored.passphrase);
	});

	test('generates a seal once for a committee that has none; calls at once share it', async ({ app, town }) => {
		const village = await villageWithCommittee(app, town.admin);
		expect(await sealsOf(app, village.id)).toEqual([]);

		const keys = await Promise.all(Array.from({ length: 5 }, () => sealKeyFor(app.db, village.id)));

		const stored = await sealsOf(app, village.id);
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ source: 'generated', organisation: '东村人民调解委员会', retiredAt: null });
		expect(new Set(keys.map((key) => key.id))).toEqual(new Set([stored[0].id]));
	});

	test('an unknown org node is NOT_FOUND', async ({ app }) => {
		await expectAppError(sealKeyFor(app.db, crypto.randomUUID()), 'NOT_FOUND');
	});
});

describe('renewing a seal', () => {
	test('retires the current key, which stays stored, and the new one seals from then on', async ({ app, town }) => {
		const [old] = await sealsOf(app, town.townId);

		const { id } = await renewSeal(app, town.admin, { orgNodeId: town.townId });

		const [retired, current] = await sealsOf(app, town.townId);
		expect(retired).toMatchObject({ id: old.id, fingerprint: old.fingerprint });
		expect(retired.retiredAt).toBeInstanceOf(Date);
		expect(current).toMatchObject({ id, retiredAt: null, source: 'generated', createdById: town.admin.id });
		expect((await sealKeyFor(app.db, town.townId)).id).toBe(id);

		const [listed] = await listSeals(app.db, town.admin);
		expect(listed).toMatchObject({ id: town.townId, committee: TOWN_COMMITTEE, current: { id } });
		expect(listed.retired.map((seal) => seal.id)).toEqual([old.id]);
	});
});

describe("importing an admin's .p12", () => {
	test('a good file becomes the current seal, re-encoded; the previous one is retired', async ({ app, town }) => {
		const [old] = await sealsOf(app, town.townId);
		const { file, certificate } = p12File();

		const imported = await importSeal(app, town.admin, { orgNodeId: town.townId, passphrase: PASSPHRASE, p12: file });

		expect(imported.certificate.fingerprint).toBe(certificate.fingerprint);
		const [retired, current] = await sealsOf(app, town.townId);
		expect(retired.id).toBe(old.id);
		expect(retired.retiredAt).not.toBeNull();
		expect(current).toMatchObject({
			id: imported.id,
			source: 'imported',
			organisation: '青石镇司法所',
			fingerprint: certificate.fingerprint,
			createdById: town.admin.id,
			retiredAt: null
		});
		const key = await sealKeyFor(app.db, town.townId);
		expect(key.id).toBe(imported.id);
		expect(importSealKey(key.key).certificate.fingerprint).toBe(certificate.fingerprint);
	});

	test.for([
		[
			'a wrong passphrase',
			() => ({ p12: p12File().file, passphrase: 'not the passphrase' }),
			{ passphrase: ['wrong_passphrase'] }
		],
		[
			'a file that is no .p12',
			() => ({ p12: new File(['hello, not a certificate'], 'seal.p12'), passphrase: PASSPHRASE }),
			{ p12: ['unreadable'] }
		],
		[
			'an expired certificate',
			() => ({ p12: p12File({ now: new Date(Date.now() - 11 * YEAR_MS) }).file, passphrase: PASSPHRASE }),
			{ p12: ['expired'] }
		],
		[
			'a file too large',
			() => ({ p12: new File([new Uint8Array(MAX_P12_BYTES + 1)], 'seal.p12'), passphrase: PASSPHRASE }),
			{ p12: ['too_large'] }
		],
		['no file', () => ({ p12: new File([], ''), passphrase: PASSPHRASE }), { p12: ['required'] }],
		['a text instead of a file', () => ({ p12: 'seal.p12', passphrase: PASSPHRASE }), { p12: ['required'] }]
	] as const)('%s is refused with a field code, and nothing changes', async ([, input, fields], { app, town }) => {
		const before = await sealsOf(app, town.townId);

		await expectAppError(importSeal(app, town.admin, { orgNodeId: town.townId, ...input() }), 'VALIDATION', fields);

		expect(await sealsOf(app, town.townId)).toEqual(before);
	});

	test('the same certificate twice is refused as taken, and the current one stays', async ({ app, town }) => {
		const { file } = p12File();
		const first = await importSeal(app, town.admin, { orgNodeId: town.townId, passphrase: PASSPHRASE, p12: file });
		const before = await sealsOf(app, town.townId);

		await expectAppError(
			importSeal(app, town.admin, { orgNodeId: town.townId, passphrase: PASSPHRASE, p12: file }),
			'VALIDATION',
			{ p12: ['taken'] }
		);

		expect(await sealsOf(app, town.townId)).toEqual(before);
		expect((await sealKeyFor(app.db, town.townId)).id).toBe(first.id);
	});

	test('only an admin, and only for a committee of their subtree', async ({ app, town }) => {
		const village = await villageWithCommittee(app, town.admin);
		const group = await addOrgNode(app, town.admin, village, 'group', '东村一组');
		const mediator = await actorOfUser(app, await addUser(app, town.admin));
		const villageAdmin = await actorOfUser(
			app,
			await addUser(app, town.admin, { role: 'admin', orgNodeId: village.id })
		);
		const input = (orgNodeId: string) => ({ orgNodeId, passphrase: PASSPHRASE, p12: p12File().file });
		const before = await sealsOf(app, town.townId);

		await expectAppError(importSeal(app, mediator, input(town.townId)), 'FORBIDDEN');
		await expectAppError(renewSeal(app, mediator, { orgNodeId: town.townId }), 'FORBIDDEN');
		// Above the village admin's subtree: as missing as on the other admin pages.
		await expectAppError(importSeal(app, villageAdmin, input(town.townId)), 'NOT_FOUND');
		await expectAppError(renewSeal(app, villageAdmin, { orgNodeId: town.townId }), 'NOT_FOUND');
		await expectAppError(importSeal(app, town.admin, input(group.id)), 'VALIDATION', { orgNodeId: ['no_committee'] });
		expect(await sealsOf(app, town.townId)).toEqual(before);

		// Their own committee they may seal with.
		await importSeal(app, villageAdmin, input(village.id));
		expect((await listSeals(app.db, villageAdmin)).map((node) => node.id)).toEqual([village.id]);
		await expectAppError(listSeals(app.db, mediator), 'FORBIDDEN');
	});
});
