import { error } from '@sveltejs/kit';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { addCaseNote } from '#server/cases/add-case-note.ts';
import { addEvidence } from '#server/cases/add-evidence.ts';
import { assignMediators } from '#server/cases/assign-mediators.ts';
import { getCase, type CaseDetail } from '#server/cases/get-case.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { issuePartyLink } from '#server/cases/issue-party-link.ts';
import { reassignCase } from '#server/cases/reassign-case.ts';
import { timelineNames } from '#server/cases/timeline-names.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { listCaseDocuments } from '#server/documents/list-case-documents.ts';
import { listCaseFollowUps } from '#server/follow-ups/list-case-follow-ups.ts';
import { scheduleFollowUp } from '#server/follow-ups/schedule-follow-up.ts';
import { caseFileFor } from '#server/dossier/case-file-for.ts';
import { caseJudicial } from '#server/judicial/get-judicial-view.ts';
import { recordCourtAnswer } from '#server/judicial/record-court-answer.ts';
import { startJudicialApplication } from '#server/judicial/start-judicial-application.ts';
import { updateParty } from '#server/cases/update-party.ts';
import { listNoticeAcknowledgements } from '#server/notice/list-notice-acknowledgements.ts';
import { recordOnSiteAcknowledgement } from '#server/notice/record-on-site-acknowledgement.ts';
import { mayRegisterOralAgreement } from '#server/documents/may-register-oral-agreement.ts';
import { registerAcceptance } from '#server/documents/register-acceptance.ts';
import { listCommittees } from '#server/orgs/list-committees.ts';
import { getCasePerformance } from '#server/performance/get-performance.ts';
import { listCaseNotifications } from '#server/notifications/list-notifications.ts';
import { resendNotification } from '#server/notifications/resend-notification.ts';
import { readPublicOrigin } from '#server/setup/read-public-origin.ts';
import { acceptConsultation } from '#server/sessions/accept-consultation.ts';
import { cancelSession } from '#server/sessions/cancel-session.ts';
import { listCaseSessions } from '#server/sessions/list-case-sessions.ts';
import { markOfficeAttendance } from '#server/sessions/mark-office-attendance.ts';
import { reissueInvitation } from '#server/sessions/reissue-invitation.ts';
import { requestConsultation } from '#server/sessions/request-consultation.ts';
import { revokeInvitation } from '#server/sessions/revoke-invitation.ts';
import { endOfficeSession, startOfficeSession } from '#server/sessions/run-office-session.ts';
import { scheduleSession, type IssuedInvitation } from '#server/sessions/schedule-session.ts';
import { sealedAgreementShownTo } from '#server/signing/signatures/download-sealed-agreement.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, nestedValues, readUploadForm, withoutGaps } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { roleHas, seesAsCommittee } from '$lib/shared/permissions';
import type { Actor } from '$lib/shared/roles';
import { caseIdSchema } from '$lib/shared/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function notFound(): never {
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:list');
	const { db } = event.locals.app;
	const caseId = event.params.id;
	// Not a case id at all: no query, the same 404 as a case one may not see.
	if (!caseIdSchema.safeParse({ caseId }).success) notFound();
	let detail: CaseDetail;
	try {
		detail = await getCase(db, actor, caseId);
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
		throw e;
	}
	const committeeView = seesAsCommittee(actor);
	const mediates = roleHas(actor.role, 'cases:mediate');
	const [
		chain,
		names,
		committees,
		sessions,
		sealedAgreement,
		documents,
		acknowledgements,
		oralAgreement,
		performance,
		judicial,
		followUps
	] = await Promise.all([
		committeeView ? verifyCaseChain(db, caseId) : null,
		committeeView ? timelineNames(db, detail.timeline) : {},
		detail.can.route ? listCommittees(db, actor) : [],
		listCaseSessions(db, actor, caseId),
		sealedAgreementShownTo(db, caseId, [{ actor }]),
		listCaseDocuments(db, caseId),
		committeeView ? listNoticeAcknowledgements(db, caseId) : null,
		mediates && mayRegisterOralAgreement(db, actor, detail.case),
		getCasePerformance(db, caseId),
		committeeView ? caseJudicial(db, actor, detail.case) : null,
		listCaseFollowUps(db, actor, caseId)
	]);
	return {
		detail,
		chain,
		names,
		committees: committees.filter((committee) => committee.id !== detail.case.committeeId),
		committeeView,
		mediates,
		sessions,
		sealedAgreement,
		documents,
		acknowledgements,
		// Accepted before registers were made, or its register failed to seal: the mediator makes it.
		registerMissing:
			mediates &&
			detail.case.acceptedAt !== null &&
			!documents.some((document) => document.kind === 'acceptance_register' && document.supersededAt === null),
		oralAgreement,
		performance,
		judicial,
		followUps,
		// The SMS and e-mail sent about the case, for those who mediate it.
		messages: mediates || actor.role === 'admin' ? await listCaseNotifications(db, actor, caseId) : []
	};
};

/** The forms of the page; a failure names its form so the page shows it there. */
type CaseForm =
	| 'transition'
	| 'assign'
	| 'reassign'
	| 'note'
	| 'invite'
	| 'link'
	| 'evidence'
	| 'schedule'
	| 'consult'
	| 'accept'
	| 'register'
	| 'cancel'
	| 'revoke'
	| 'reissue'
	| 'caseFile'
	| 'party'
	| 'onSite'
	| 'attendance'
	| 'office'
	| 'judicialStart'
	| 'judicialAnswer'
	| 'followUp'
	| 'resend';

/**
 * Every action: the actor, the submitted form with the case taken from the
 * address (never from the form), one service call, and what to show on success.
 */
async function act<T extends object>(
	event: RequestEvent,
	form: CaseForm,
	work: (actor: Actor, input: Record<string, unknown>, files: File[], ip: string | null) => Promise<T>,
	fileField = 'evidence'
) {
	const actor = requirePermission(event, 'cases:list');
	const { values, files } = await readUploadForm(event.request, fileField);
	const input = { ...nestedValues(values), caseId: event.params.id };
	return formAction({ ...values, form }, async () => ({
		done: form,
		...(await work(actor, input, files, clientOf(event).ip))
	}));
}

/** An invitation to show once: its link at the app's configured address (never the request's Host), and its PIN. */
const shown = (origin: string, { token, ...invitation }: IssuedInvitation) => ({
	...invitation,
	link: `${origin}/join/${token}`
});

export const actions: Actions = {
	judicialStart: (event) =>
		act(event, 'judicialStart', async (actor, input, _files, ip) => {
			await startJudicialApplication(event.locals.app, actor, input, ip);
			return {};
		}),
	judicialAnswer: (event) =>
		act(
			event,
			'judicialAnswer',
			async (actor, input, files, ip) => {
				await recordCourtAnswer(event.locals.app, actor, input, files, ip);
				return {};
			},
			'ruling'
		),
	caseFile: (event) =>
		act(event, 'caseFile', async (actor, input, _files, ip) => {
			await caseFileFor(event.locals.app, actor, String(input.caseId), ip, { rebind: true });
			return {};
		}),
	transition: (event) =>
		act(event, 'transition', (actor, input, _files, ip) => transitionCase(event.locals.app, actor, input, ip)),
	assign: (event) =>
		act(event, 'assign', async (actor, input, _files, ip) => {
			await assignMediators(event.locals.app, actor, { ...input, mediatorIds: withoutGaps(input.mediatorIds) }, ip);
			return {};
		}),
	reassign: (event) =>
		act(event, 'reassign', async (actor, input, _files, ip) => {
			await reassignCase(event.locals.app, actor, input, ip);
			return {};
		}),
	note: (event) =>
		act(event, 'note', async (actor, input, _files, ip) => {
			await addCaseNote(event.locals.app, actor, input, ip);
			return {};
		}),
	invite: (event) =>
		act(event, 'invite', async (actor, input, _files, ip) => {
			await inviteExpert(event.locals.app, actor, input, ip);
			return {};
		}),
	link: (event) =>
		act(event, 'link', async (actor, input, _files, ip) => {
			const origin = await readPublicOrigin(event.locals.app);
			const token = await issuePartyLink(event.locals.app, actor, input, ip);
			return { partyId: String(input.partyId), link: `${origin}/track/${token}` };
		}),
	evidence: (event) =>
		act(event, 'evidence', async (actor, input, files, ip) => {
			await addEvidence(event.locals.app, actor, input, files, ip);
			return {};
		}),
	scheduleSession: (event) =>
		act(event, 'schedule', async (actor, input, _files, ip) => {
			const { partyIds, mediatorIds, expertIds } = input;
			const fields = {
				...input,
				partyIds: withoutGaps(partyIds),
				mediatorIds: withoutGaps(mediatorIds),
				expertIds: withoutGaps(expertIds)
			};
			const origin = await readPublicOrigin(event.locals.app);
			const { invitations } = await scheduleSession(event.locals.app, actor, fields, ip);
			return { invitations: invitations.map((invitation) => shown(origin, invitation)) };
		}),
	revokeInvitation: (event) =>
		act(event, 'revoke', async (actor, input, _files, ip) => {
			await revokeInvitation(event.locals.app, actor, input, ip);
			return { participantId: String(input.participantId) };
		}),
	reissueInvitation: (event) =>
		act(event, 'reissue', async (actor, input, _files, ip) => {
			const origin = await readPublicOrigin(event.locals.app);
			const invitation = await reissueInvitation(event.locals.app, actor, input, ip);
			return { participantId: invitation.participantId, invitations: [shown(origin, invitation)] };
		}),
	requestConsultation: (event) =>
		act(event, 'consult', async (actor, input, _files, ip) => {
			await requestConsultation(event.locals.app, actor, input, ip);
			return {};
		}),
	acceptConsultation: (event) =>
		act(event, 'accept', async (actor, input, _files, ip) => {
			await acceptConsultation(event.locals.app, actor, input, ip);
			return {};
		}),
	updateParty: (event) =>
		act(
			event,
			'party',
			async (actor, input, files, ip) => {
				await updateParty(event.locals.app, actor, input, files, ip);
				return { partyId: String(input.partyId) };
			},
			'powerOfAttorney'
		),
	acknowledgeOnSite: (event) =>
		act(event, 'onSite', async (actor, input, _files, ip) => {
			await recordOnSiteAcknowledgement(event.locals.app, actor, input, ip);
			return {};
		}),
	register: (event) =>
		act(event, 'register', async (actor, input, _files, ip) => {
			await registerAcceptance(event.locals.app, actor, input, ip);
			return {};
		}),
	cancelSession: (event) =>
		act(event, 'cancel', async (actor, input, _files, ip) => {
			await cancelSession(event.locals.app, actor, input, ip);
			return {};
		}),
	markAttendance: (event) =>
		act(event, 'attendance', async (actor, input, _files, ip) => {
			await markOfficeAttendance(event.locals.app, actor, input, ip);
			return { participantId: String(input.participantId) };
		}),
	startOfficeSession: (event) =>
		act(event, 'office', async (actor, input, _files, ip) => {
			await startOfficeSession(event.locals.app, actor, input, ip);
			return {};
		}),
	scheduleFollowUp: (event) =>
		act(event, 'followUp', async (actor, input, _files, ip) => {
			await scheduleFollowUp(event.locals.app, actor, input, ip);
			return {};
		}),
	resendMessage: (event) =>
		act(event, 'resend', async (actor, input, _files, ip) => {
			await resendNotification(event.locals.app, actor, input, ip);
			return {};
		}),
	endOfficeSession: (event) =>
		act(event, 'office', async (actor, input, _files, ip) => {
			await endOfficeSession(event.locals.app, actor, input, ip);
			return {};
		})
};
