import type { DocumentKind } from '#shared/documents.ts';
import type { SessionKind } from '#shared/sessions.ts';
import type { Logger } from '../log.ts';
import type { Secret } from '../notifications/secret.ts';

/** What the services tell the rest of the process once their work is committed, by event name. */
export type DomainEventMap = {
	/** Their sessions are revoked; whatever they still have open must close. */
	'user.deactivated': { userId: string };
	'user.role_changed': { userId: string };
	'user.password_reset': { userId: string };
	/** The participant's invitation stopped working: revoked, or replaced by a reissued one. */
	'invitation.revoked': { caseId: string; participantId: string };
	/** Called off before it ended; the invitations of those it invited no longer work. */
	'session.cancelled': { caseId: string; sessionId: string; invitedParticipantIds: string[] };
	/** The first host went live; a mediation's case is now in mediation. */
	'session.started': { caseId: string; sessionId: string; kind: SessionKind };
	/** A mediator closed the session. */
	'session.ended': { caseId: string; sessionId: string };
	/** Filed, or moved along its lifecycle. */
	'case.changed': { caseId: string };
	/** Closed and numbered: its case file (卷宗) is bound, filed by whoever closed it. */
	'case.closed': { caseId: string; actor: { id: string; label: string } };
	/** A mediator accepted it (after `case.changed`): its acceptance register is due. */
	'case.accepted': { caseId: string; actorId: string; ip: string | null };
	/** The case's agreement is sealed, which resolves a case still in mediation. */
	'agreement.sealed': { caseId: string; sealedAgreementId: string };
	/** Another document of the case's file is sealed (`DOCUMENT_KINDS`). */
	'document.sealed': { caseId: string; documentId: string; kind: DocumentKind };
	/** An item of the agreement's performance plan falls due within DUE_SOON_DAYS; once per due day. */
	'performance.item_due_soon': { caseId: string; itemId: string; dueOn: string };
	/** Its due day passed with the item not done; once per due day, as its warning. */
	'performance.item_overdue': { caseId: string; itemId: string; dueOn: string };
	/** A party said the item is done, with proof or a note: the mediator is to confirm it. */
	'performance.item_reported': { caseId: string; itemId: string; partyId: string };
	/** The mediator sent a party's report back, with a reason the party reads. */
	'performance.item_rejected': { caseId: string; itemId: string };
	/** Every item is confirmed or waived: the agreement is performed (履行完毕). */
	'performance.performed': { caseId: string; performedAt: Date };
	/** The application for judicial confirmation of the case's agreement was started, signed or answered by the court. */
	'judicial.changed': { caseId: string };
	/** A follow-up visit of the case is set for `dueOn` (the agreement took effect, or a mediator set the next). */
	'follow_up.scheduled': { caseId: string; followUpId: string; dueOn: string };
	/** Its day has come and nobody recorded it yet: the parties may answer its survey on their tracking page. */
	'follow_up.due': { caseId: string; followUpId: string; dueOn: string };
	/** The visit is recorded and its 回访记录 sealed. */
	'follow_up.recorded': { caseId: string; followUpId: string; documentId: string };
	/** A party answered (or corrected their answer to) a due follow-up on their tracking page. */
	'follow_up.answered': { caseId: string; followUpId: string; partyId: string };
	/** A party was given a private tracking link: an online application received, or a link a mediator issued. */
	'party.link_issued': { caseId: string; trackingToken: Secret };
	/** Scheduled (a consultation: requested), with the invitations (link token and PIN) of those invited without an account. */
	'session.scheduled': {
		caseId: string;
		sessionId: string;
		invitations: { participantId: string; token: Secret; pin: Secret }[];
	};
	/** A participant was given a new invitation (the old one is revoked first: `invitation.revoked`). */
	'invitation.issued': { caseId: string; sessionId: string; participantId: string; token: Secret; pin: Secret };
	/** Moved to another time (`previousScheduledFor`); its reminders follow it. */
	'session.rescheduled': { caseId: string; sessionId: string; previousScheduledFor: Date };
	/** A consultation was asked of a legal expert, who is to accept it. */
	'consultation.requested': { caseId: string; sessionId: string };
	'consultation.accepted': { caseId: string; sessionId: string };
	/** A version of the case's agreement was frozen for signing. */
	'agreement.ready_to_sign': { caseId: string; draftId: string; versionId: string };
	/** A warning was handed to a mediator to follow up. */
	'warning.assigned': { warningId: string; assigneeId: string };
};

export type DomainEventName = keyof DomainEventMap;
type Listener<E extends DomainEventName> = (payload: DomainEventMap[E]) => void | Promise<void>;
type Listeners = { [E in DomainEventName]?: Set<Listener<E>> };

/**
 * The process's bus of domain events: services emit facts, the transports and the statistics
 * subscribe (in `app.ts`), so that no service knows who listens.
 *
 * `emit` runs the listeners one after another, in the order they subscribed, and resolves when
 * all have finished: a service that awaits it returns with its consequences done (connections
 * dropped, warnings raised), as its callers expect. It never rejects: the service's work is
 * already committed, so a failing listener is logged and the next one still runs.
 */
export class DomainEvents {
	readonly #log: Logger;
	readonly #listeners: Listeners = {};

	constructor(log: Logger) {
		this.#log = log;
	}

	/** Returns the way to unsubscribe. */
	on<E extends DomainEventName>(event: E, listener: Listener<E>): () => void {
		// The mapped type keeps each name with its own listeners; TypeScript cannot follow that through `E`.
		const listeners: Set<Listener<E>> = (this.#listeners[event] ??= new Set() as NonNullable<Listeners[E]>);
		listeners.add(listener);
		return () => listeners.delete(listener);
	}

	async emit<E extends DomainEventName>(event: E, payload: DomainEventMap[E]): Promise<void> {
		const listeners: Set<Listener<E>> | undefined = this.#listeners[event];
		for (const listener of [...(listeners ?? [])]) {
			try {
				await listener(payload);
			} catch (error) {
				this.#log.error({ err: error, event, payload }, 'domain event listener failed');
			}
		}
	}
}
