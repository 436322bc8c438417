import { AppError } from '#shared/errors.ts';
import { withdrawalSchema } from '#shared/validation.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { findTrackedParty } from './track-case.ts';
import { applyTransition } from './transition-case.ts';

/** The applicant withdraws their application through their tracking link, saying why. */
export async function withdrawApplication(
	app: { db: Db; log: Logger },
	token: string,
	input: unknown,
	ip: string | null
): Promise<void> {
	const { reason } = parseInput(withdrawalSchema, input);
	await app.db.transaction(async (tx) => {
		const { party, caseRow } = await findTrackedParty(tx, token, true);
		if (party.side !== 'applicant') throw new AppError('FORBIDDEN');
		await applyTransition(tx, caseRow, { transition: 'withdraw', reason }, { actorLabel: party.name }, ip, new Date());
	});
	app.log.info(
		{ caseId: (await findTrackedParty(app.db, token)).caseRow.id },
		'application withdrawn by the applicant'
	);
}
