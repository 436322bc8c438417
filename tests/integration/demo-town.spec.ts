import { and, eq, isNotNull } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { getCase } from '#server/cases/get-case.ts';
import {
	caseParties,
	cases,
	judicialApplications,
	performancePlans,
	sealedAgreements,
	sealedDocuments
} from '#server/db/schema.ts';
import { DEMO_PASSWORD, seedDemo } from '#server/demo/seed-demo.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import { test } from '../support/integration-test.ts';
import { pdfsig } from '../support/poppler.ts';
import { actorOf } from '../support/test-app.ts';

// Seeding the demo town takes a while: one seed, checked for everything the demo must show.
describe('the demo town', () => {
	test(
		'has every party complete, and a closed case with a complete, numbered and sealed file',
		{ timeout: 300_000 },
		async ({ app }) => {
			await seedDemo(app);
			const rows = await app.db.select({ caseId: caseParties.caseId }).from(caseParties);
			const admin = await actorOf(app, 'admin', DEMO_PASSWORD);
			const parties = (
				await Promise.all([...new Set(rows.map((r) => r.caseId))].map((id) => getCase(app.db, admin, id)))
			).flatMap((detail) => detail.parties);
			expect(parties.filter((p) => p.missing.length)).toEqual([]);
			expect(parties.some((p) => p.details.kind === 'organisation')).toBe(true);
			expect(parties.some((p) => p.details.agent?.powerOfAttorney)).toBe(true);

			const [kase] = await app.db
				.select({ id: cases.id, fileNumber: cases.fileNumber })
				.from(cases)
				.innerJoin(sealedAgreements, eq(sealedAgreements.caseId, cases.id))
				.where(and(eq(cases.status, 'closed'), isNotNull(cases.fileNumber)));
			expect(kase.fileNumber).toMatch(/^（\d{4}）.+人调字第\d+号$/);
			const documents = await app.db
				.select({ kind: sealedDocuments.kind, pdf: sealedDocuments.pdf })
				.from(sealedDocuments)
				.where(eq(sealedDocuments.caseId, kase.id));
			expect(new Set(documents.map((document) => document.kind))).toEqual(
				new Set(['acceptance_register', 'mediation_record', 'follow_up_record', 'judicial_confirmation', 'case_file'])
			);
			const [agreement] = await app.db.select().from(sealedAgreements).where(eq(sealedAgreements.caseId, kase.id));
			expect(agreement).toBeDefined();
			const [plan] = await app.db.select().from(performancePlans).where(eq(performancePlans.caseId, kase.id));
			expect(plan.performedAt).toBeInstanceOf(Date);
			const [application] = await app.db
				.select()
				.from(judicialApplications)
				.where(eq(judicialApplications.caseId, kase.id));
			expect(application).toMatchObject({ accepted: true, ruling: 'confirmed' });
			const file = documents.find((document) => document.kind === 'case_file')!;
			expect(await readPdfSeal(file.pdf)).toMatchObject({ intact: true, level: 'B-B' });
			expect(await pdfsig(file.pdf)).toMatch(/Signature is Valid/);
		}
	);
});
