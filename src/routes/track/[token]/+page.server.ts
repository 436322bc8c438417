import { error } from '@sveltejs/kit';
import { addTrackedEvidence } from '#server/cases/add-evidence.ts';
import { answerSurvey, getTrackedSurvey } from '#server/cases/answer-survey.ts';
import { findTrackedParty, getTrackedCase } from '#server/cases/track-case.ts';
import { signJudicialApplication } from '#server/judicial/sign-judicial-application.ts';
import { trackedJudicial } from '#server/judicial/get-judicial-view.ts';
import { withdrawApplication } from '#server/cases/withdraw-application.ts';
import { listCaseDocuments } from '#server/documents/list-case-documents.ts';
import { getCasePerformance } from '#server/performance/get-performance.ts';
import { reportPerformanceItem } from '#server/performance/report-performance-item.ts';
import { answerFollowUp, getTrackedFollowUp } from '#server/follow-ups/answer-follow-up.ts';
import { listTrackedSessions } from '#server/sessions/list-tracked-sessions.ts';
import { getTrackedSmsPreferences, saveTrackedSmsPreferences } from '#server/notifications/tracked-sms-preferences.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, readForm, readUploadForm, tickedValues } from '$lib/server/form-action';
import { trackedCaseId } from '$lib/server/tracked-case-id';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	// The token is the key to the case: keep it out of other sites' Referer headers and out of caches.
	setHeaders({ 'referrer-policy': 'same-origin', 'cache-control': 'private, no-store' });
	try {
		const [tracked, sessions, survey, followUp, sms] = await Promise.all([
			getTrackedCase(locals.app.db, params.token),
			listTrackedSessions(locals.app.db, params.token),
			getTrackedSurvey(locals.app.db, params.token),
			getTrackedFollowUp(locals.app.db, params.token),
			getTrackedSmsPreferences(locals.app.db, params.token)
		]);
		const caseId = await trackedCaseId(locals.app.db, params.token);
		const [documents, performance, judicial] = await Promise.all([
			listCaseDocuments(locals.app.db, caseId),
			getCasePerformance(locals.app.db, caseId),
			findTrackedParty(locals.app.db, params.token).then(({ party }) => trackedJudicial(locals.app.db, party))
		]);
		return { tracked, sessions, survey, followUp, sms, documents, performance, judicial };
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
	reportPerformance: async (event) => {
		const { values, files } = await readUploadForm(event.request, 'proof');
		return formAction(values, async () => {
			await reportPerformanceItem(event.locals.app, event.params.token, values, files, clientOf(event).ip);
			return { reported: values.itemId };
		});
	},
	survey: async (event) => {
		const values = await readForm(event.request);
		return formAction(values, async () => {
			await answerSurvey(event.locals.app, event.params.token, values, clientOf(event).ip);
			return { answered: true };
		});
	},
	judicialSign: async (event) => {
		const { values, files } = await readUploadForm(event.request, 'signature');
		const signature = files[0] ? new Uint8Array(await files[0].arrayBuffer()) : new Uint8Array();
		return formAction(values, async () => {
			await signJudicialApplication(event.locals.app, event.params.token, values, signature, clientOf(event));
			return { judicialSigned: true };
		});
	},
	followUp: async (event) => {
		const values = await readForm(event.request);
		return formAction({ ...values, form: 'followUp' }, async () => {
			await answerFollowUp(event.locals.app, event.params.token, values, clientOf(event).ip);
			return { followedUp: true };
		});
	},
	smsPreferences: async (event) => {
		const values = await readForm(event.request);
		return formAction({ ...values, form: 'smsPreferences' }, async () => {
			const input = { receive: tickedValues(values, 'receive') };
			await saveTrackedSmsPreferences(event.locals.app, event.params.token, input, clientOf(event).ip);
			return { smsSaved: true };
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
