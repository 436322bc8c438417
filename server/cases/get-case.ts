import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
	CASE_TRANSITION_NAMES,
	canTransition,
	deadlineState,
	IMPLIED_TRANSITIONS,
	OPEN_STATUSES,
	type DeadlineState
} from '#shared/cases.ts';
import { missingPartyDetails, type PartyDetailField, type PartyDetails } from '#shared/party-details.ts';
import { roleHas, seesAsCommittee } from '#shared/permissions.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import {
	caseEvents,
	caseEvidence,
	caseExperts,
	caseMediators,
	caseNotes,
	caseParties,
	cases,
	committeeMembers,
	committees,
	orgNodes,
	storedFiles,
	users
} from '../db/schema.ts';
import { findVisibleCase, type CaseRow } from './case-scope.ts';
import { listPartyDetails, shownDetails } from './list-party-details.ts';

/** Audit actions that everyone who may see the case sees on its timeline; the rest is for the committee. */
export const PUBLIC_ACTIONS = [
	'case.submitted',
	'case.accept',
	'case.reject',
	'case.schedule',
	'case.start',
	'case.resolve',
	'case.resolve_orally',
	'case.fail',
	'case.withdraw',
	'case.escalate',
	'case.close',
	'case.reassigned',
	'evidence.added',
	'performance.item_reported',
	'performance.item_confirmed',
	'performance.item_rejected',
	'performance.item_waived',
	'performance.performed'
];

export type TimelineEvent = {
	seq: number;
	action: string;
	actorName: string;
	data: Record<string, unknown>;
	ip: string | null;
	createdAt: Date;
};

export type EvidenceItem = {
	id: string;
	filename: string;
	mimeType: string;
	size: number;
	sha256: string;
	createdAt: Date;
	uploaderLabel: string;
};

/** The case's evidence, newest last, with who uploaded each file. */
export async function listEvidence(db: Db, caseId: string): Promise<EvidenceItem[]> {
	const uploader = alias(users, 'uploader');
	const rows = await db
		.select({
			id: caseEvidence.id,
			filename: caseEvidence.filename,
			mimeType: storedFiles.mimeType,
			size: storedFiles.size,
			sha256: storedFiles.sha256,
			createdAt: caseEvidence.createdAt,
			userName: uploader.displayName,
			partyName: caseParties.name
		})
		.from(caseEvidence)
		.innerJoin(storedFiles, eq(storedFiles.id, caseEvidence.fileId))
		.leftJoin(uploader, eq(uploader.id, caseEvidence.uploadedById))
		.leftJoin(caseParties, eq(caseParties.id, caseEvidence.uploadedByPartyId))
		.where(eq(caseEvidence.caseId, caseId))
		.orderBy(asc(caseEvidence.createdAt));
	return rows.map(({ userName, partyName, ...row }) => ({ ...row, uploaderLabel: userName ?? partyName ?? '' }));
}

/** The case's audit events, oldest first; `committeeView` includes internal ones and addresses. */
export async function listTimeline(db: Db, caseId: string, committeeView: boolean): Promise<TimelineEvent[]> {
	const rows = await db
		.select({
			seq: caseEvents.seq,
			action: caseEvents.action,
			actorName: users.displayName,
			actorLabel: caseEvents.actorLabel,
			data: caseEvents.data,
			ip: caseEvents.ip,
			createdAt: caseEvents.createdAt
		})
		.from(caseEvents)
		.leftJoin(users, eq(users.id, caseEvents.actorId))
		.where(
			committeeView
				? eq(caseEvents.caseId, caseId)
				: and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, PUBLIC_ACTIONS))
		)
		.orderBy(asc(caseEvents.seq));
	return rows.map(({ actorName, actorLabel, ip, data, ...row }) => ({
		...row,
		actorName: actorName ?? actorLabel ?? '',
		data: committeeView ? (data as Record<string, unknown>) : {},
		ip: committeeView ? ip : null
	}));
}

async function committeeMembersOf(db: Db, committeeId: string) {
	return db
		.select({ id: users.id, displayName: users.displayName })
		.from(users)
		.innerJoin(committeeMembers, eq(committeeMembers.userId, users.id))
		.where(and(eq(committeeMembers.committeeId, committeeId), eq(users.role, 'mediator'), eq(users.active, true)))
		.orderBy(asc(users.displayName));
}

export type CaseDetail = {
	case: Omit<CaseRow, 'searchText' | 'searchTokens'> & {
		villageName: string;
		committeeName: string;
		referredFromName: string | null;
		deadlineState: DeadlineState;
	};
	parties: {
		id: string;
		side: 'applicant' | 'respondent';
		name: string;
		/** For the committee whole; for others without contact data and with the ID number masked. */
		details: PartyDetails;
		/** What the documents of record still need of this party. */
		missing: PartyDetailField[];
		hasLink: boolean;
		/** Only for the committee: the party's tracking link token, to hand over again. */
		trackingToken: string | null;
	}[];
	mediators: { id: string; displayName: string }[];
	experts: { id: string; displayName: string }[];
	evidence: EvidenceItem[];
	timeline: TimelineEvent[];
	/** Only for the committee: notes, and who could be assigned or invited. */
	notes: { id: string; body: string; authorName: string; createdAt: Date }[];
	assignableMediators: { id: string; displayName: string }[];
	availableExperts: { id: string; displayName: string }[];
	/** What the actor may do to it now. */
	can: {
		transitions: (typeof CASE_TRANSITION_NAMES)[number][];
		assign: boolean;
		route: boolean;
		note: boolean;
		addEvidence: boolean;
		editParties: boolean;
	};
};

/** Contact data is for the committee and ID numbers are masked; others see who is involved. */
function outsiderView(details: PartyDetails): PartyDetails {
	const agent = details.agent && { ...details.agent, phone: null };
	return { ...shownDetails(details, false), phone: null, address: null, workplace: null, agent };
}

/** Everything the case page shows, cut to what the actor may see of it. */
export async function getCase(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<CaseDetail> {
	authorize(actor, 'cases:list');
	const row = await findVisibleCase(db, actor, caseId);
	const committeeView = seesAsCommittee(actor);
	const referrer = alias(committees, 'referrer');
	const [place] = await db
		.select({ villageName: orgNodes.name, committeeName: committees.name, referredFromName: referrer.name })
		.from(cases)
		.innerJoin(orgNodes, eq(orgNodes.id, cases.villageId))
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.leftJoin(referrer, eq(referrer.id, cases.referredFromCommitteeId))
		.where(eq(cases.id, caseId));
	const open = OPEN_STATUSES.includes(row.status);
	const mediates = roleHas(actor.role, 'cases:mediate');

	const [parties, mediators, experts, evidence, timeline, notes, assignableMediators, availableExperts] =
		await Promise.all([
			listPartyDetails(db, caseId),
			db
				.select({ id: users.id, displayName: users.displayName })
				.from(caseMediators)
				.innerJoin(users, eq(users.id, caseMediators.userId))
				.where(eq(caseMediators.caseId, caseId)),
			db
				.select({ id: users.id, displayName: users.displayName })
				.from(caseExperts)
				.innerJoin(users, eq(users.id, caseExperts.userId))
				.where(eq(caseExperts.caseId, caseId)),
			listEvidence(db, caseId),
			listTimeline(db, caseId, committeeView),
			committeeView
				? db
						.select({
							id: caseNotes.id,
							body: caseNotes.body,
							authorName: users.displayName,
							createdAt: caseNotes.createdAt
						})
						.from(caseNotes)
						.innerJoin(users, eq(users.id, caseNotes.authorId))
						.where(eq(caseNotes.caseId, caseId))
						.orderBy(asc(caseNotes.createdAt))
				: [],
			committeeView && open ? committeeMembersOf(db, row.committeeId) : [],
			mediates
				? db
						.select({ id: users.id, displayName: users.displayName })
						.from(users)
						.where(and(eq(users.role, 'legal_expert'), eq(users.active, true)))
						.orderBy(asc(users.displayName))
				: []
		]);
	const { searchText: _text, searchTokens: _tokens, ...fields } = row;
	return {
		case: { ...fields, ...place, deadlineState: deadlineState(row.status, row.deadline, now) },
		parties: parties.map((party) => ({
			id: party.id,
			side: party.side,
			name: party.details.name,
			details: committeeView ? party.details : outsiderView(party.details),
			missing: missingPartyDetails(party.details),
			hasLink: party.hasLink,
			trackingToken: committeeView ? party.trackingToken : null
		})),
		mediators,
		experts,
		evidence,
		timeline,
		notes,
		assignableMediators,
		availableExperts: availableExperts.filter((e) => !experts.some((x) => x.id === e.id)),
		can: {
			transitions: mediates
				? CASE_TRANSITION_NAMES.filter((t) => canTransition(row.status, t) && !IMPLIED_TRANSITIONS.includes(t))
				: [],
			assign: open && roleHas(actor.role, 'cases:assign'),
			route: open && roleHas(actor.role, 'cases:route'),
			note: mediates,
			addEvidence: row.status !== 'closed',
			editParties: mediates && row.status !== 'closed'
		}
	};
}
