import { error } from '@sveltejs/kit';
import { getCase } from '#server/cases/get-case.ts';
import { addPerformanceItem } from '#server/performance/add-performance-item.ts';
import { addPerformanceProof } from '#server/performance/add-performance-proof.ts';
import { agreementClauses } from '#server/performance/agreement-clauses.ts';
import { getCasePerformance } from '#server/performance/get-performance.ts';
import { movePerformanceItem } from '#server/performance/move-performance-item.ts';
import { mediatesCase } from '#server/performance/plan-access.ts';
import { removePerformanceItem } from '#server/performance/remove-performance-item.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, readUploadForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import type { Actor } from '$lib/shared/roles';
import { caseIdSchema } from '$lib/shared/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The plan of the case's agreement: everyone who sees the case reads it; its mediators keep it. */
export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:list');
	const { db } = event.locals.app;
	const caseId = event.params.id;
	if (!caseIdSchema.safeParse({ caseId }).success) error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	const detail = await getCase(db, actor, caseId).catch((e: unknown) => {
		if (e instanceof AppError && e.code === 'NOT_FOUND')
			error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
		throw e;
	});
	const keeps = await mediatesCase(db, actor, caseId);
	const [performance, clauses] = await Promise.all([
		getCasePerformance(db, caseId),
		keeps ? agreementClauses(db, caseId) : []
	]);
	const { id, number } = detail.case;
	return {
		kase: { id, number },
		parties: detail.parties.map(({ id, side, name }) => ({ id, side, name })),
		performance,
		clauses,
		keeps
	};
};

type PlanForm = 'add' | 'move' | 'proof' | 'remove';

/** One service call per form, the case taken from the address; a failure names its form and item. */
async function act(
	event: RequestEvent,
	form: PlanForm,
	work: (actor: Actor, input: Record<string, unknown>, files: File[], ip: string | null) => Promise<unknown>
) {
	const actor = requirePermission(event, 'cases:mediate');
	const { values, files } = await readUploadForm(event.request, 'proof');
	return formAction({ ...values, form }, async () => {
		await work(actor, { ...values, caseId: event.params.id }, files, clientOf(event).ip);
		return { done: form, itemId: values.itemId ?? null };
	});
}

export const actions: Actions = {
	add: (event) =>
		act(event, 'add', (actor, input, _files, ip) => addPerformanceItem(event.locals.app, actor, input, ip)),
	move: (event) =>
		act(event, 'move', (actor, input, _files, ip) => movePerformanceItem(event.locals.app, actor, input, ip)),
	proof: (event) =>
		act(event, 'proof', (actor, input, files, ip) => addPerformanceProof(event.locals.app, actor, input, files, ip)),
	remove: (event) =>
		act(event, 'remove', (actor, input, _files, ip) => removePerformanceItem(event.locals.app, actor, input, ip))
};
