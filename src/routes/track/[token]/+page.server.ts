import { error } from '@sveltejs/kit';
import { addTrackedEvidence } from '#server/cases/add-evidence.ts';
import { answerSurvey, getTrackedSurvey } from '#server/cases/answer-survey.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { withdrawApplication } from '#server/cases/withdraw-application.ts';
import { listCaseDocuments } from '#server/documents/list-case-documents.ts';
import { answerFollowUp, getTrackedFollowUp } from '#server/follow-ups/answer-follow-up.ts';
import { listTrackedSessions } from '#server/sessions/list-tracked-sessions.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, readForm, readUploadForm } from '$lib/server/form-action';
import { trackedCaseId } from '$lib/server/tracked-case-id';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	// The token is the key to the case: keep it out of other sites' Referer headers and out of caches.
	setHeaders({ 'referrer-policy': 'same-origin', 'cache-control': 'private, no-store' });
	try {
		const [tracked, sessions, survey, followUp] = await Promise.all([
			getTrackedCase(locals.app.db, params.token),
			listTrackedSessions(locals.app.db, params.token),
			getTrackedSurvey(locals.app.db, params.token),
			getTrackedFollowUp(locals.app.db, params.token)
		]);
		const documents = await listCaseDocuments(locals.app.db, await trackedCaseId(locals.app.db, params.token));
		return { tracked, sessions, survey, followUp, documents };
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND')
			error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
		throw e;
	}
};

export const actions: Actions = {
	addEvidence: async (event) => {
		const { values, files } = await readUploadForm(event.request);
		return formAction(values, async () => {
			await addTrackedEvidence(event.locals.app, event.params.token, files, clientOf(event).ip);
			return { uploaded: true };
		});
	},
	survey: async (event) => {
		const values = await readForm(event.request);
		return formAction(values, async () => {
			await answerSurvey(event.locals.app, event.params.token, values, clientOf(event).ip);
			return { answered: true };
		});
	},
	followUp: async (event) => {
		const values = await readForm(event.request);
		return formAction({ ...values, form: 'followUp' }, async () => {
			await answerFollowUp(event.locals.app, event.params.token, values, clientOf(event).ip);
			return { followedUp: true };
		});
	},
	withdraw: async (event) => {
		const values = await readForm(event.request);
		return formAction(values, async () => {
			await withdrawApplication(event.locals.app, event.params.token, values, clientOf(event).ip);
			return { withdrawn: true };
		});
	}
};
