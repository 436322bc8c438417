import { CHAIN_CHECK_LIMIT, verifyCaseChains, type ChainsReport } from '#server/audit/verify-case-chains.ts';
import { requirePermission } from '$lib/server/guards';
import { AppError, type FormFailure } from '$lib/shared/errors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'audit:verify');
	const { db } = event.locals.app;
	const number = event.url.searchParams.get('number') ?? '';
	let report: ChainsReport;
	let failure: FormFailure | null = null;
	try {
		report = await verifyCaseChains(db, actor, { number });
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		// A lookup that cannot be right still leaves the overview to show.
		failure = { code: error.code, fields: error.fields, values: { number } };
		report = await verifyCaseChains(db, actor);
	}
	return { report, number, failure, limit: CHAIN_CHECK_LIMIT };
};
