import { listCases, type CasePage } from '#server/cases/list-cases.ts';
import { listDisputePlaces } from '#server/orgs/list-dispute-places.ts';
import { nodeInScope } from '#server/orgs/subtree.ts';
import { listMediators } from '#server/users/list-mediators.ts';
import { AppError, type FormFailure } from '$lib/shared/errors';
import { seesAsCommittee } from '$lib/shared/permissions';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

const FILTERS = [
	'status',
	'disputeType',
	'villageId',
	'mediatorId',
	'deadline',
	'q',
	'cursor',
	'open',
	'outcome',
	'org',
	'from',
	'to'
] as const;

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:list');
	const { db } = event.locals.app;
	// Empty fields of the filter form mean "any".
	const filters: Record<string, string> = {};
	for (const name of FILTERS) {
		const value = event.url.searchParams.get(name);
		if (value) filters[name] = value;
	}
	const committeeView = seesAsCommittee(actor);
	let page: CasePage = { cases: [], nextCursor: null };
	let failure: FormFailure | null = null;
	try {
		page = await listCases(db, actor, filters);
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		failure = { code: error.code, fields: error.fields, values: filters };
	}
	const [places, mediators] = committeeView
		? await Promise.all([listDisputePlaces(db), listMediators(db, actor)])
		: [[], []];
	// The drill-down's subtree, named for the hint above the list (only a node the actor may see).
	const orgName = filters.org
		? await nodeInScope(db, actor, filters.org).then(
				(node) => node.name,
				() => null
			)
		: null;
	return { page, failure, filters, places, mediators, committeeView, orgName };
};
