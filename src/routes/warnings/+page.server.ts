import { acknowledgeWarning, assignWarning, resolveWarning } from '#server/insight/handle-warning.ts';
import { listWarnings, WARNING_PAGE_SIZE, type WarningItem } from '#server/insight/list-warnings.ts';
import { listMediators } from '#server/users/list-mediators.ts';
import { clientOf, formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError, type FormFailure } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

const FILTERS = ['status', 'severity', 'rule', 'mine'] as const;

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'warnings:handle');
	const { db } = event.locals.app;
	const filters: Record<string, string> = {};
	for (const name of FILTERS) {
		const value = event.url.searchParams.get(name);
		if (value) filters[name] = value;
	}
	let warnings: WarningItem[] = [];
	let failure: FormFailure | null = null;
	try {
		warnings = await listWarnings(db, actor, filters);
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		failure = { code: error.code, fields: error.fields, values: filters };
	}
	return { warnings, failure, filters, mediators: await listMediators(db, actor), limit: WARNING_PAGE_SIZE };
};

type Handler = typeof assignWarning;

/** Each action changes one warning and says which, so that the page can show the outcome beside it. */
const handle = (work: Handler) => async (event: Parameters<Actions[string]>[0]) => {
	const actor = requirePermission(event, 'warnings:handle');
	const values = await readForm(event.request);
	return (
		(await formAction(values, () =>
			work(event.locals.app.db, actor, values, clientOf(event).ip, event.locals.app.events)
		)) ?? {
			done: values.warningId
		}
	);
};

export const actions: Actions = {
	acknowledge: handle(acknowledgeWarning),
	assign: handle(assignWarning),
	resolve: handle(resolveWarning)
};
