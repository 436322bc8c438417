import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigint,
	bigserial,
	boolean,
	check,
	customType,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import {
	CASE_CHANNELS,
	CASE_OUTCOMES,
	CASE_STATUSES,
	DISPUTE_TYPES,
	DEFAULT_DEADLINE_DAYS,
	ACCEPTANCE_SOURCES,
	PARTY_SIDES,
	REFERRAL_TARGETS
} from '#shared/cases.ts';
import { DOCUMENT_KINDS } from '#shared/documents.ts';
import {
	DEFAULT_FOLLOW_UP_DAYS,
	FOLLOW_UP_BASES,
	FOLLOW_UP_METHODS,
	FOLLOW_UP_PERFORMANCE
} from '#shared/follow-ups.ts';
import type { EthnicGroupCode } from '#shared/ethnic-groups.ts';
import type { DecidedClause } from '#shared/judicial.ts';
import { DRAFT_KINDS, type RecordOutcome } from '#shared/mediation-record.ts';
import { COMMITTEE_POSITIONS, ORG_KINDS } from '#shared/orgs.ts';
import { PERFORMANCE_ITEM_KINDS, PERFORMANCE_STATES } from '#shared/performance.ts';
import { AGENT_SCOPES, GENDERS, ID_DOCUMENT_TYPES, PARTY_KINDS, REPRESENTATIVE_ROLES } from '#shared/party-details.ts';
import { ROLES } from '#shared/roles.ts';
import type { SignatureMethod } from '#shared/signing.ts';
import {
	ATTENDANCE_PRESENCES,
	PARTICIPANT_ROLES,
	SESSION_KINDS,
	SESSION_MODES,
	SESSION_STATUSES
} from '#shared/sessions.ts';
import { WARNING_RULES, WARNING_SEVERITIES, WARNING_STATUSES } from '#shared/warnings.ts';
import {
	NOTIFICATION_CHANNELS,
	NOTIFICATION_STATUSES,
	type NotificationKind,
	type NotificationLocale,
	type PinDelivery
} from '#shared/notifications.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const orgKind = pgEnum('org_kind', ORG_KINDS);
export const role = pgEnum('role', ROLES);
export const committeePosition = pgEnum('committee_position', COMMITTEE_POSITIONS);
export const disputeType = pgEnum('dispute_type', DISPUTE_TYPES);
export const caseStatus = pgEnum('case_status', CASE_STATUSES);
export const caseChannel = pgEnum('case_channel', CASE_CHANNELS);
export const acceptanceSource = pgEnum('acceptance_source', ACCEPTANCE_SOURCES);
export const partySide = pgEnum('party_side', PARTY_SIDES);
export const partyKind = pgEnum('party_kind', PARTY_KINDS);
export const gender = pgEnum('gender', GENDERS);
export const idDocumentType = pgEnum('id_document_type', ID_DOCUMENT_TYPES);
export const representativeRole = pgEnum('representative_role', REPRESENTATIVE_ROLES);
export const agentScope = pgEnum('agent_scope', AGENT_SCOPES);
export const referralTarget = pgEnum('referral_target', REFERRAL_TARGETS);
export const caseOutcome = pgEnum('case_outcome', CASE_OUTCOMES);
export const sessionKind = pgEnum('session_kind', SESSION_KINDS);
export const sessionStatus = pgEnum('session_status', SESSION_STATUSES);
export const participantRole = pgEnum('participant_role', PARTICIPANT_ROLES);
export const sessionMode = pgEnum('session_mode', SESSION_MODES);
export const attendancePresence = pgEnum('attendance_presence', ATTENDANCE_PRESENCES);
export const draftKind = pgEnum('draft_kind', DRAFT_KINDS);

/** Binary content as a Node Buffer; both drivers map bytea to and from it. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value))
});

/**
 * One row once the first-run setup has completed; its fixed key makes a second setup fail.
 * `publicOrigin` is the address people reach the app by, printed in sealed agreements and links;
 * who set it last, and when, stay beside it.
 */
export const installation = pgTable(
	'installation',
	{
		id: integer('id').primaryKey().default(1),
		rootOrgId: uuid('root_org_id')
			.notNull()
			.references(() => orgNodes.id),
		publicOrigin: text('public_origin'),
		publicOriginSetById: uuid('public_origin_set_by_id').references((): AnyPgColumn => users.id),
		publicOriginSetAt: timestamp('public_origin_set_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [check('installation_single_row', sql`${t.id} = 1`)]
);

/**
 * The organisation tree. `path` lists the ids from the root down to this node
 * (`/a/b/c/`), so a subtree is one prefix match.
 */
export const orgNodes = pgTable(
	'org_nodes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		parentId: uuid('parent_id').references((): AnyPgColumn => orgNodes.id),
		kind: orgKind('kind').notNull(),
		name: text('name').notNull(),
		code: text('code'),
		path: text('path').notNull(),
		createdAt: createdAt()
	},
	(t) => [
		index('org_nodes_parent_idx').on(t.parentId),
		index('org_nodes_path_idx').on(t.path),
		uniqueIndex('org_nodes_sibling_name_idx').on(t.parentId, t.name)
	]
);

export const committees = pgTable('committees', {
	id: uuid('id').primaryKey().defaultRandom(),
	orgNodeId: uuid('org_node_id')
		.notNull()
		.unique()
		.references(() => orgNodes.id),
	name: text('name').notNull(),
	/** Days from acceptance to a case's deadline. */
	deadlineDays: integer('deadline_days').notNull().default(DEFAULT_DEADLINE_DAYS),
	/** Days from an agreement taking effect to its first follow-up visit (回访). */
	followUpDays: integer('follow_up_days').notNull().default(DEFAULT_FOLLOW_UP_DAYS),
	createdAt: createdAt()
});

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		username: text('username').notNull(),
		displayName: text('display_name').notNull(),
		phone: text('phone'),
		role: role('role').notNull(),
		orgNodeId: uuid('org_node_id').references(() => orgNodes.id),
		passwordHash: text('password_hash').notNull(),
		mustChangePassword: boolean('must_change_password').notNull().default(false),
		active: boolean('active').notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('users_username_idx').on(sql`lower(${t.username})`)]
);

export const committeeMembers = pgTable(
	'committee_members',
	{
		committeeId: uuid('committee_id')
			.notNull()
			.references(() => committees.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		position: committeePosition('position').notNull().default('member'),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.committeeId, t.userId] }), index('committee_members_user_idx').on(t.userId)]
);

/** Log-in sessions. The id is the SHA-256 of the cookie token, so a leaked table holds no usable token. */
export const authSessions = pgTable(
	'auth_sessions',
	{
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		ip: text('ip'),
		userAgent: text('user_agent'),
		createdAt: createdAt()
	},
	(t) => [index('auth_sessions_user_idx').on(t.userId)]
);

export const cases = pgTable(
	'cases',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		number: text('number').notNull().unique(),
		disputeType: disputeType('dispute_type').notNull(),
		status: caseStatus('status').notNull().default('submitted'),
		channel: caseChannel('channel').notNull(),
		facts: text('facts').notNull(),
		claims: text('claims').notNull(),
		amountCents: bigint('amount_cents', { mode: 'number' }),
		/** Where the dispute arose: a village, community or group. */
		villageId: uuid('village_id')
			.notNull()
			.references(() => orgNodes.id),
		committeeId: uuid('committee_id')
			.notNull()
			.references(() => committees.id),
		/** The org path of the handling committee's node, kept with the case so subtree visibility is one prefix match. */
		committeePath: text('committee_path').notNull(),
		/** The grid worker who reported it. */
		reporterId: uuid('reporter_id').references(() => users.id),
		/** The mediator who registered a walk-in or a referral. */
		registeredById: uuid('registered_by_id').references(() => users.id),
		/** For a referral: the committee that sent it. */
		referredFromCommitteeId: uuid('referred_from_committee_id').references(() => committees.id),
		/** Where a failed mediation sent the parties. */
		referralTarget: referralTarget('referral_target'),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		/** Where the accepted case came from, as its acceptance register says; null for cases accepted before it was asked. */
		acceptanceSource: acceptanceSource('acceptance_source'),
		/** 卷号, given when the case closes: （2026）东村人调字第3号, consecutive per committee and year. */
		fileNumber: text('file_number').unique(),
		deadline: timestamp('deadline', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** How the mediation ended (resolved, resolved orally, failed, withdrawn, rejected), kept after the case is closed. */
		outcome: caseOutcome('outcome'),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		/** Facts and party names, lowercased: what the text search matches against. */
		searchText: text('search_text').notNull(),
		/** The characters and character pairs of `searchText`, so that Chinese text (no spaces between words) is searchable by index. */
		searchTokens: text('search_tokens').array().notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('cases_created_idx').on(t.createdAt, t.id),
		index('cases_committee_path_idx').on(sql`${t.committeePath} text_pattern_ops`, t.createdAt),
		index('cases_status_created_idx').on(t.status, t.createdAt, t.id),
		index('cases_village_created_idx').on(t.villageId, t.createdAt, t.id),
		index('cases_reporter_idx').on(t.reporterId),
		// Deadlines run only while a case is open (DEADLINE_STATUSES): nearly every case ever accepted has
		// a past deadline, so only indexes over open cases serve the overdue and near-deadline filters.
		index('cases_open_created_idx')
			.on(t.createdAt, t.id)
			.where(sql`${t.status} in ('accepted', 'scheduled', 'in_mediation')`),
		index('cases_open_deadline_idx')
			.on(t.deadline)
			.where(sql`${t.status} in ('accepted', 'scheduled', 'in_mediation')`),
		// The dashboard's live count of open cases (OPEN_STATUSES) by period and subtree, read from the index alone.
		index('cases_unfinished_created_idx')
			.on(t.createdAt, t.committeePath)
			.where(sql`${t.status} in ('submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated')`),
		index('cases_search_idx').using('gin', t.searchTokens)
	]
);

/** Case numbers run per town and year: `2026-QSZ-000123`. */
export const caseNumberCounters = pgTable(
	'case_number_counters',
	{
		townId: uuid('town_id')
			.notNull()
			.references(() => orgNodes.id),
		year: integer('year').notNull(),
		last: integer('last').notNull()
	},
	(t) => [primaryKey({ columns: [t.townId, t.year] })]
);

/** The last file number (卷号) each committee gave in each year: the next is one more, with no gaps. */
export const caseFileCounters = pgTable(
	'case_file_counters',
	{
		committeeId: uuid('committee_id')
			.notNull()
			.references(() => committees.id),
		year: integer('year').notNull(),
		last: integer('last').notNull()
	},
	(t) => [primaryKey({ columns: [t.committeeId, t.year] })]
);

/** 保管期限 by dispute type where the installation's table departs from `RETENTION_DEFAULTS`. */
export const retentionPeriods = pgTable('retention_periods', {
	disputeType: disputeType('dispute_type').primaryKey(),
	period: text('period').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const caseParties = pgTable(
	'case_parties',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		side: partySide('side').notNull(),
		kind: partyKind('kind').notNull().default('person'),
		/** 姓名, or an organisation's 名称. */
		name: text('name').notNull(),
		phone: text('phone'),
		/** 住址 of a person, 地址 of an organisation. */
		address: text('address'),
		// A natural person's details, as the application and the agreement state them.
		gender: gender('gender'),
		/** GB/T 3304 code of the ethnic group (ETHNIC_GROUPS). */
		ethnicity: text('ethnicity').$type<EthnicGroupCode>(),
		birthDate: date('birth_date', { mode: 'string' }),
		/** 职业或职务. */
		occupation: text('occupation'),
		/** 工作单位. */
		workplace: text('workplace'),
		idType: idDocumentType('id_type'),
		/** Shown whole only to the case's committee; never logged. */
		idNumber: text('id_number'),
		// An organisation's.
		/** 统一社会信用代码. */
		creditCode: text('credit_code'),
		/** 法定代表人 or 负责人, as representativeRole says. */
		representative: text('representative'),
		representativeRole: representativeRole('representative_role'),
		// The party's agent (委托代理人), if one acts for them, and their power of attorney.
		agentName: text('agent_name'),
		agentPhone: text('agent_phone'),
		agentScope: agentScope('agent_scope'),
		agentPowerOfAttorneyFileId: uuid('agent_power_of_attorney_file_id').references(() => storedFiles.id),
		agentPowerOfAttorneyFilename: text('agent_power_of_attorney_filename'),
		/** The party's account, when they have one. */
		userId: uuid('user_id').references(() => users.id),
		/** SHA-256 of the party's private tracking link token, which the link is looked up by. */
		trackingTokenHash: text('tracking_token_hash').unique(),
		/**
		 * The token itself, so that the mediator can hand the link over again (a party without a
		 * phone) and the room can point the party to it; links issued before it was kept have none.
		 */
		trackingToken: text('tracking_token'),
		createdAt: createdAt()
	},
	(t) => [
		index('case_parties_case_idx').on(t.caseId),
		index('case_parties_user_idx').on(t.userId),
		// The early-warning rules look for the same person (phone) and household (address) in other cases.
		index('case_parties_phone_idx').on(t.phone),
		index('case_parties_address_idx').on(t.address)
	]
);

export const caseMediators = pgTable(
	'case_mediators',
	{
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.caseId, t.userId] }), index('case_mediators_user_idx').on(t.userId, t.caseId)]
);

/** Legal experts invited to a case; they see it from then on. */
export const caseExperts = pgTable(
	'case_experts',
	{
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		invitedById: uuid('invited_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.caseId, t.userId] }), index('case_experts_user_idx').on(t.userId)]
);

/** Mediators' working notes on a case; parties never see them. */
export const caseNotes = pgTable(
	'case_notes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		authorId: uuid('author_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('case_notes_case_idx').on(t.caseId, t.createdAt)]
);

/** File contents, kept in the database so that one backup holds a case whole. */
export const storedFiles = pgTable('stored_files', {
	id: uuid('id').primaryKey().defaultRandom(),
	sha256: text('sha256').notNull(),
	mimeType: text('mime_type').notNull(),
	size: integer('size').notNull(),
	content: bytea('content').notNull(),
	createdAt: createdAt()
});

export const caseEvidence = pgTable(
	'case_evidence',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		fileId: uuid('file_id')
			.notNull()
			.references(() => storedFiles.id),
		/** The name it was uploaded under, shown and offered on download; never trusted for its type. */
		filename: text('filename').notNull(),
		uploadedById: uuid('uploaded_by_id').references(() => users.id),
		uploadedByPartyId: uuid('uploaded_by_party_id').references(() => caseParties.id),
		createdAt: createdAt()
	},
	(t) => [index('case_evidence_case_idx').on(t.caseId)]
);

/**
 * The case audit log: append-only, and each event carries the hash of the one
 * before it in its case (see server/audit/). `created_at` is set by the
 * writer, not the database, because it is part of the hashed content.
 */
export const caseEvents = pgTable(
	'case_events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		seq: integer('seq').notNull(),
		actorId: uuid('actor_id').references(() => users.id),
		actorLabel: text('actor_label'),
		action: text('action').notNull(),
		data: jsonb('data').notNull(),
		ip: text('ip'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		uniqueIndex('case_events_case_seq_idx').on(t.caseId, t.seq),
		check('case_events_seq_positive', sql`${t.seq} > 0`),
		check('case_events_actor_named', sql`${t.actorId} is not null or ${t.actorLabel} is not null`)
	]
);

/** A meeting of a case (a mediation, or a legal consultation) with its one room. */
export const mediationSessions = pgTable(
	'mediation_sessions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		kind: sessionKind('kind').notNull(),
		status: sessionStatus('status').notNull(),
		scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
		mode: sessionMode('mode').notNull().default('online'),
		/** Where an in-person or hybrid session is held (the mediation office, a village hall). */
		place: text('place'),
		/** The committee member who keeps the session's mediation record (记录人). */
		recorderId: uuid('recorder_id').references(() => users.id),
		title: text('title'),
		agenda: text('agenda'),
		createdById: uuid('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('mediation_sessions_case_idx').on(t.caseId, t.scheduledFor)]
);

/**
 * Who takes part in a session. Account holders (mediators, experts, parties
 * with an account) are named by `userId`; parties and observers without one
 * get an invitation: a link token and a PIN, both stored only as hashes.
 */
export const sessionParticipants = pgTable(
	'session_participants',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		sessionId: uuid('session_id')
			.notNull()
			.references(() => mediationSessions.id),
		role: participantRole('role').notNull(),
		userId: uuid('user_id').references(() => users.id),
		casePartyId: uuid('case_party_id').references(() => caseParties.id),
		displayName: text('display_name').notNull(),
		/** SHA-256 of the invitation link's token. */
		inviteTokenHash: text('invite_token_hash').unique(),
		/** argon2id of the PIN given separately from the link. */
		pinHash: text('pin_hash'),
		inviteExpiresAt: timestamp('invite_expires_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		failedPinAttempts: integer('failed_pin_attempts').notNull().default(0),
		lastJoinedAt: timestamp('last_joined_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [
		index('session_participants_user_idx').on(t.userId),
		uniqueIndex('session_participants_session_user_idx').on(t.sessionId, t.userId),
		uniqueIndex('session_participants_session_party_idx').on(t.sessionId, t.casePartyId),
		check(
			'session_participants_invitation_whole',
			sql`(${t.inviteTokenHash} is null) = (${t.pinHash} is null) and (${t.inviteTokenHash} is null) = (${t.inviteExpiresAt} is null)`
		),
		check('session_participants_named', sql`${t.userId} is not null or ${t.inviteTokenHash} is not null`)
	]
);

/**
 * Who was at a session and when: each stay in the room from one's own device (`online`, joined
 * and left as the room saw it), or presence in the office as the mediator marked it
 * (`in_person`). The mediation record's header is read from it.
 */
export const sessionAttendance = pgTable(
	'session_attendance',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		sessionId: uuid('session_id')
			.notNull()
			.references(() => mediationSessions.id),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => sessionParticipants.id),
		presence: attendancePresence('presence').notNull(),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
		leftAt: timestamp('left_at', { withTimezone: true }),
		/** The mediator who marked an in-person attendance. */
		markedById: uuid('marked_by_id').references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [index('session_attendance_session_idx').on(t.sessionId, t.participantId, t.joinedAt)]
);

/**
 * A device admitted by invitation (link and PIN): the `tj_join` cookie of
 * someone without an account. The id is the SHA-256 of the cookie token.
 */
export const participantSessions = pgTable(
	'participant_sessions',
	{
		id: text('id').primaryKey(),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => sessionParticipants.id),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		ip: text('ip'),
		userAgent: text('user_agent'),
		createdAt: createdAt()
	},
	(t) => [index('participant_sessions_participant_idx').on(t.participantId)]
);

/**
 * Text chat of a session's room, kept with the case. `space` is where it was
 * said: `joint`, or the caucus (`caucus:<uuid>`) only its members heard.
 */
export const sessionMessages = pgTable(
	'session_messages',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		sessionId: uuid('session_id')
			.notNull()
			.references(() => mediationSessions.id),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => sessionParticipants.id),
		space: text('space').notNull(),
		body: text('body').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('session_messages_session_idx').on(t.sessionId, t.space, t.createdAt)]
);

/**
 * Where each person of a live room is (lobby, joint space or a caucus), kept so that a restarted
 * process puts those who come back within a grace period where they were, without being admitted
 * again. `present` while connected; `seenAt` is refreshed while present and set when they drop.
 */
export const roomPlaces = pgTable(
	'room_places',
	{
		sessionId: uuid('session_id')
			.notNull()
			.references(() => mediationSessions.id),
		participantId: uuid('participant_id')
			.notNull()
			.references(() => sessionParticipants.id),
		space: text('space').notNull(),
		present: boolean('present').notNull(),
		seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.sessionId, t.participantId] })]
);

/**
 * An organisation's own agreement template, replacing the built-in one for
 * the cases of its committee and of the committees below it. `body` is the
 * editor's document (ProseMirror JSON) with {{placeholders}} for case data.
 */
export const agreementTemplates = pgTable('agreement_templates', {
	orgNodeId: uuid('org_node_id')
		.primaryKey()
		.references(() => orgNodes.id),
	body: jsonb('body').notNull(),
	updatedById: uuid('updated_by_id')
		.notNull()
		.references(() => users.id),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A live draft: the agreement of a case (one per case), or the mediation record of a session (one
 * per session). Its content is the snapshot plus the updates after it; `frozenVersionId` is the
 * version frozen for signing, until an edit supersedes it.
 */
export const agreementDrafts = pgTable(
	'agreement_drafts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		kind: draftKind('kind').notNull().default('agreement'),
		/** The session a mediation record is of. */
		sessionId: uuid('session_id').references(() => mediationSessions.id),
		/** Parties may edit, not only comment and suggest, when the mediator allows it. */
		partiesMayEdit: boolean('parties_may_edit').notNull().default(false),
		frozenVersionId: uuid('frozen_version_id'),
		/** A record's result as the mediator set it: copied into the version frozen for signing. */
		recordOutcome: jsonb('record_outcome').$type<RecordOutcome>(),
		createdById: uuid('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('agreement_drafts_case_agreement_idx')
			.on(t.caseId)
			.where(sql`${t.kind} = 'agreement'`),
		uniqueIndex('agreement_drafts_session_record_idx')
			.on(t.sessionId)
			.where(sql`${t.kind} = 'mediation_record'`),
		check('agreement_drafts_kind_session', sql`(${t.kind} = 'mediation_record') = (${t.sessionId} is not null)`)
	]
);

/** Every Yjs update applied to a draft, in order, written before it is acknowledged. */
export const draftUpdates = pgTable(
	'draft_updates',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		draftId: uuid('draft_id')
			.notNull()
			.references(() => agreementDrafts.id),
		update: bytea('update').notNull(),
		createdAt: createdAt()
	},
	(t) => [index('draft_updates_draft_idx').on(t.draftId, t.id)]
);

/** The compacted start of a draft: every update up to `uptoId` merged into one. */
export const draftSnapshots = pgTable('draft_snapshots', {
	draftId: uuid('draft_id')
		.primaryKey()
		.references(() => agreementDrafts.id),
	state: bytea('state').notNull(),
	uptoId: bigint('upto_id', { mode: 'number' }).notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * Who wrote with which Yjs client id: recorded by the server from the
 * updates each person sent, so that authorship cannot be claimed by another.
 */
export const draftAuthors = pgTable(
	'draft_authors',
	{
		draftId: uuid('draft_id')
			.notNull()
			.references(() => agreementDrafts.id),
		clientId: bigint('client_id', { mode: 'number' }).notNull(),
		/** `user:<id>` or `participant:<id>`: the account or invitation behind the edits. */
		author: text('author').notNull(),
		authorName: text('author_name').notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.draftId, t.clientId] })]
);

/**
 * A named version of a draft: its whole state and its canonical text. A
 * version frozen for signing also has the SHA-256 of that text; `supersededAt`
 * is set when the draft is edited after it was frozen.
 */
export const draftVersions = pgTable(
	'draft_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		draftId: uuid('draft_id')
			.notNull()
			.references(() => agreementDrafts.id),
		seq: integer('seq').notNull(),
		name: text('name').notNull(),
		state: bytea('state').notNull(),
		text: text('text').notNull(),
		sha256: text('sha256'),
		frozenAt: timestamp('frozen_at', { withTimezone: true }),
		/** A record's result when this version was frozen: what its signers signed. */
		recordOutcome: jsonb('record_outcome').$type<RecordOutcome>(),
		supersededAt: timestamp('superseded_at', { withTimezone: true }),
		createdById: uuid('created_by_id').references(() => users.id),
		createdByName: text('created_by_name').notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('draft_versions_seq_idx').on(t.draftId, t.seq)]
);

/** What parties and others say about the draft: a comment, or a suggested wording, on a quoted passage. */
export const draftComments = pgTable(
	'draft_comments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		draftId: uuid('draft_id')
			.notNull()
			.references(() => agreementDrafts.id),
		kind: text('kind', { enum: ['comment', 'suggestion'] }).notNull(),
		quote: text('quote'),
		body: text('body').notNull(),
		author: text('author').notNull(),
		authorName: text('author_name').notNull(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('draft_comments_draft_idx').on(t.draftId, t.createdAt)]
);

export const warningRule = pgEnum('warning_rule', WARNING_RULES);
export const warningSeverity = pgEnum('warning_severity', WARNING_SEVERITIES);
export const warningStatus = pgEnum('warning_status', WARNING_STATUSES);

/** What the statistics tables count for each group of cases. */
const statisticsMeasures = () => ({
	cases: integer('cases').notNull(),
	/** Days from filing to the end of the mediation, summed over the ended cases. */
	durationDays: doublePrecision('duration_days').notNull(),
	/** Cases with a deadline, and those that ended after it or are still open past it. */
	withDeadline: integer('with_deadline').notNull(),
	overdue: integer('overdue').notNull()
});

/**
 * Case counts by creation month, handling committee, village, type, status
 * and outcome: the dashboard reads these instead of a million cases. Rebuilt
 * as a whole in one transaction (server/insight/refresh-statistics.ts), so
 * readers see either the old figures or the new ones.
 */
export const caseStatistics = pgTable(
	'case_statistics',
	{
		month: date('month').notNull(),
		committeeId: uuid('committee_id').notNull(),
		committeePath: text('committee_path').notNull(),
		/** The village or community (a group counts with its village). */
		villageId: uuid('village_id').notNull(),
		disputeType: disputeType('dispute_type').notNull(),
		status: caseStatus('status').notNull(),
		outcome: caseOutcome('outcome'),
		...statisticsMeasures()
	},
	(t) => [index('case_statistics_path_month_idx').on(sql`${t.committeePath} text_pattern_ops`, t.month)]
);

/** The same counts per mediator assigned to the cases, for the assessment of each mediator. */
export const mediatorStatistics = pgTable(
	'mediator_statistics',
	{
		month: date('month').notNull(),
		mediatorId: uuid('mediator_id').notNull(),
		committeePath: text('committee_path').notNull(),
		outcome: caseOutcome('outcome'),
		...statisticsMeasures()
	},
	(t) => [index('mediator_statistics_path_month_idx').on(sql`${t.committeePath} text_pattern_ops`, t.month)]
);

/** When the statistics tables were last rebuilt: one row. */
export const statisticsRefresh = pgTable(
	'statistics_refresh',
	{
		id: integer('id').primaryKey().default(1),
		refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull()
	},
	(t) => [check('statistics_refresh_single_row', sql`${t.id} = 1`)]
);

/** A party's answer to the satisfaction survey on their tracking page, once per party. */
export const satisfactionSurveys = pgTable(
	'satisfaction_surveys',
	{
		partyId: uuid('party_id')
			.primaryKey()
			.references(() => caseParties.id),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		/** 1 (very dissatisfied) to 5 (very satisfied). */
		score: integer('score').notNull(),
		comment: text('comment'),
		createdAt: createdAt()
	},
	(t) => [
		index('satisfaction_surveys_case_idx').on(t.caseId),
		check('satisfaction_surveys_score_range', sql`${t.score} between 1 and 5`)
	]
);

/** Early-warning thresholds and risk words of an organisation node and the nodes below it (the nearest one counts). */
export const warningSettings = pgTable('warning_settings', {
	orgNodeId: uuid('org_node_id')
		.primaryKey()
		.references(() => orgNodes.id),
	settings: jsonb('settings').notNull(),
	updatedById: uuid('updated_by_id')
		.notNull()
		.references(() => users.id),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/**
 * A warning raised by a rule. `subjectKey` names what it is about (a case, a
 * person in a new case, a village in a month), and one rule raises at most
 * one warning per subject, however often it runs.
 */
export const warnings = pgTable(
	'warnings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		rule: warningRule('rule').notNull(),
		subjectKey: text('subject_key').notNull(),
		severity: warningSeverity('severity').notNull(),
		status: warningStatus('status').notNull().default('open'),
		/** Who sees it: the org path of the case's committee, or of the village. */
		orgPath: text('org_path').notNull(),
		caseId: uuid('case_id').references(() => cases.id),
		villageId: uuid('village_id').references(() => orgNodes.id),
		/** What the rule found: the other cases, the counts, the words. */
		details: jsonb('details').notNull(),
		assigneeId: uuid('assignee_id').references(() => users.id),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('warnings_rule_subject_idx').on(t.rule, t.subjectKey),
		index('warnings_path_created_idx').on(sql`${t.orgPath} text_pattern_ops`, t.createdAt),
		index('warnings_case_idx').on(t.caseId)
	]
);

/** What people did with a warning: append-only and hash-chained per warning, like the case audit log. */
export const warningEvents = pgTable(
	'warning_events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		warningId: uuid('warning_id')
			.notNull()
			.references(() => warnings.id),
		seq: integer('seq').notNull(),
		actorId: uuid('actor_id')
			.notNull()
			.references(() => users.id),
		action: text('action').notNull(),
		data: jsonb('data').notNull(),
		ip: text('ip'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [uniqueIndex('warning_events_warning_seq_idx').on(t.warningId, t.seq)]
);

/**
 * An organisation's seal: the certificate and key that seal its agreements, as PKCS #12 with the
 * passphrase that opens it (whoever reads this table can seal; keep the database's access narrow).
 * The newest one not retired seals; retired ones stay, so that what they sealed still verifies.
 */
export const sealKeys = pgTable(
	'seal_keys',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgNodeId: uuid('org_node_id')
			.notNull()
			.references(() => orgNodes.id),
		p12: bytea('p12').notNull(),
		passphrase: text('passphrase').notNull(),
		/** SHA-256 of the certificate, lower-case hex. */
		fingerprint: text('fingerprint').notNull().unique(),
		organisation: text('organisation'),
		commonName: text('common_name'),
		notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
		notAfter: timestamp('not_after', { withTimezone: true }).notNull(),
		/** `generated` by the app, or `imported` by an admin. */
		source: text('source').notNull(),
		createdById: uuid('created_by_id').references(() => users.id),
		createdAt: createdAt(),
		retiredAt: timestamp('retired_at', { withTimezone: true })
	},
	(t) => [
		index('seal_keys_org_idx').on(t.orgNodeId),
		check('seal_keys_source', sql`${t.source} in ('generated', 'imported')`)
	]
);

/**
 * A signature on the version of a draft (agreement or record) frozen for signing. `signer` is who signed:
 * `party:<case party id>` for a party (by account or invitation), `user:<id>` for a mediator,
 * legal expert or recorder. An edit after freezing supersedes the version, and with it its signatures.
 */
export const agreementSignatures = pgTable(
	'agreement_signatures',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		versionId: uuid('version_id')
			.notNull()
			.references(() => draftVersions.id),
		signer: text('signer').notNull(),
		/** party, mediator or expert. */
		role: text('role').notNull(),
		name: text('name').notNull(),
		/** The drawn signature, PNG. */
		image: bytea('image').notNull(),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
		ip: text('ip'),
		userAgent: text('user_agent'),
		/** How it was made (SIGNATURE_METHODS): own device, in person on a mediator's device, attested. */
		method: text('method').$type<SignatureMethod>().notNull().default('own_device'),
		/** The mediator on whose device it was made in person, or who attested it. */
		witnessedById: uuid('witnessed_by_id').references(() => users.id),
		/** For an attested signature: the photo of the signature on paper. */
		paperPhotoId: uuid('paper_photo_id').references(() => storedFiles.id),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('agreement_signatures_version_signer_idx').on(t.versionId, t.signer),
		check('agreement_signatures_role', sql`${t.role} in ('party', 'mediator', 'expert', 'recorder')`),
		check(
			'agreement_signatures_method',
			sql`${t.method} in ('own_device', 'in_person_pin', 'in_person_password', 'attested')`
		),
		check(
			'agreement_signatures_witnessed',
			sql`(${t.method} = 'own_device') = (${t.witnessedById} is null) and (${t.method} = 'attested') = (${t.paperPhotoId} is not null)`
		)
	]
);

/**
 * The sealed agreement of a case: the PDF every required signer signed, sealed with its
 * organisation's key. A later one for the same case supersedes it.
 */
export const sealedAgreements = pgTable(
	'sealed_agreements',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		versionId: uuid('version_id')
			.notNull()
			.unique()
			.references(() => draftVersions.id),
		pdf: bytea('pdf').notNull(),
		/** SHA-256 of the PDF file, lower-case hex: what the verification page looks up. */
		sha256: text('sha256').notNull().unique(),
		/** SHA-256 of the agreement text the parties signed. */
		textSha256: text('text_sha256').notNull(),
		sealKeyId: uuid('seal_key_id')
			.notNull()
			.references(() => sealKeys.id),
		pages: integer('pages').notNull(),
		sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull(),
		supersededAt: timestamp('superseded_at', { withTimezone: true })
	},
	(t) => [index('sealed_agreements_case_idx').on(t.caseId)]
);

export const documentKind = pgEnum('document_kind', DOCUMENT_KINDS);

/**
 * The case file's other documents of record, sealed as the agreement is (`DOCUMENT_KINDS`). A
 * newer document of the same kind, case and session supersedes the one before; none is deleted.
 */
export const sealedDocuments = pgTable(
	'sealed_documents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		kind: documentKind('kind').notNull(),
		/** The session a mediation record is of; null for documents of the whole case. */
		sessionId: uuid('session_id').references(() => mediationSessions.id),
		/** The frozen draft version a signed document (a mediation record) was sealed from. */
		versionId: uuid('version_id')
			.unique()
			.references(() => draftVersions.id),
		pdf: bytea('pdf').notNull(),
		/** SHA-256 of the PDF file, lower-case hex: what the verification page looks up. */
		sha256: text('sha256').notNull().unique(),
		/** SHA-256 of the document's text as printed. */
		textSha256: text('text_sha256').notNull(),
		sealKeyId: uuid('seal_key_id')
			.notNull()
			.references(() => sealKeys.id),
		pages: integer('pages').notNull(),
		sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull(),
		supersededAt: timestamp('superseded_at', { withTimezone: true })
	},
	(t) => [index('sealed_documents_case_idx').on(t.caseId, t.kind)]
);

/**
 * A committee's rights and duties notice, one row a version: an edit adds a version and keeps the
 * old ones. Without any, a committee uses the built-in text (server/notice/default-notice.ts) as
 * its version 1. `sha256` is the hash of the text (see `noticeSha256`) that acknowledgements name.
 */
export const noticeVersions = pgTable(
	'notice_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		committeeId: uuid('committee_id')
			.notNull()
			.references(() => committees.id),
		version: integer('version').notNull(),
		/** The Chinese text of record. */
		bodyZh: text('body_zh').notNull(),
		/** A rendering for English-speaking readers; empty when there is none. */
		bodyEn: text('body_en').notNull(),
		sha256: text('sha256').notNull(),
		createdById: uuid('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('notice_versions_committee_version_idx').on(t.committeeId, t.version)]
);

/**
 * A party's acknowledgement of a version of the notice, with their choice of a public or closed
 * session. Only one of the version now in force counts. `recordedById` is the account that gave
 * it: the party's own, or on site (`via` on_site) the mediator's, with the party's drawn signature.
 */
export const noticeAcknowledgements = pgTable(
	'notice_acknowledgements',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		casePartyId: uuid('case_party_id')
			.notNull()
			.references(() => caseParties.id),
		committeeId: uuid('committee_id')
			.notNull()
			.references(() => committees.id),
		version: integer('version').notNull(),
		sha256: text('sha256').notNull(),
		sessionChoice: text('session_choice').notNull(),
		via: text('via').notNull(),
		recordedById: uuid('recorded_by_id').references(() => users.id),
		/** The party's drawn signature (PNG), on site only. */
		signature: bytea('signature'),
		ip: text('ip'),
		acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('notice_acknowledgements_party_idx').on(t.casePartyId, t.acknowledgedAt),
		check('notice_acknowledgements_choice', sql`${t.sessionChoice} in ('public', 'closed')`),
		check('notice_acknowledgements_via', sql`${t.via} in ('account', 'invitation', 'on_site')`),
		check('notice_acknowledgements_on_site_signed', sql`(${t.via} = 'on_site') = (${t.signature} is not null)`)
	]
);

/**
 * An oral agreement (口头协议) that resolved a case: what the mediator registered and signed, beside
 * the sealed 口头调解协议登记表 that prints it.
 */
export const oralAgreements = pgTable(
	'oral_agreements',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		documentId: uuid('document_id')
			.notNull()
			.references(() => sealedDocuments.id),
		/** The case's parties who reached it. */
		partyIds: uuid('party_ids').array().notNull(),
		matter: text('matter').notNull(),
		terms: text('terms').notNull(),
		performance: text('performance').notNull(),
		/** The day it was reached, from which it takes effect (Law art. 30). */
		reachedOn: date('reached_on').notNull(),
		mediatorId: uuid('mediator_id')
			.notNull()
			.references(() => users.id),
		/** The mediator's drawn signature, PNG. */
		signature: bytea('signature').notNull(),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [uniqueIndex('oral_agreements_case_idx').on(t.caseId)]
);

export const performanceItemKind = pgEnum('performance_item_kind', PERFORMANCE_ITEM_KINDS);
export const performanceState = pgEnum('performance_state', PERFORMANCE_STATES);

/**
 * The performance plan (履行) of a case's agreement: made once the case has a sealed agreement or
 * an oral agreement, whichever it names; `performedAt` is set when every item is confirmed or
 * waived (履行完毕).
 */
export const performancePlans = pgTable(
	'performance_plans',
	{
		caseId: uuid('case_id')
			.primaryKey()
			.references(() => cases.id),
		sealedAgreementId: uuid('sealed_agreement_id').references(() => sealedAgreements.id),
		oralAgreementId: uuid('oral_agreement_id').references(() => oralAgreements.id),
		createdById: uuid('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		performedAt: timestamp('performed_at', { withTimezone: true })
	},
	(t) => [
		check('performance_plans_one_agreement', sql`(${t.sealedAgreementId} is null) <> (${t.oralAgreementId} is null)`),
		index('performance_plans_performed_idx').on(t.performedAt)
	]
);

/** One item of a plan: an amount to pay or an act to do, by a party, by a day, at a place. */
export const performanceItems = pgTable(
	'performance_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => performancePlans.caseId),
		/** Its place in the plan, from 1. */
		position: integer('position').notNull(),
		kind: performanceItemKind('kind').notNull(),
		description: text('description').notNull(),
		amountCents: bigint('amount_cents', { mode: 'number' }),
		dueOn: date('due_on', { mode: 'string' }).notNull(),
		place: text('place').notNull(),
		responsiblePartyId: uuid('responsible_party_id')
			.notNull()
			.references(() => caseParties.id),
		state: performanceState('state').notNull().default('planned'),
		/** The party's word with their report. */
		reportNote: text('report_note'),
		reportedAt: timestamp('reported_at', { withTimezone: true }),
		reportedByPartyId: uuid('reported_by_party_id').references(() => caseParties.id),
		/** Why the mediator sent the last report back, or why the item was waived: the party reads it. */
		reason: text('reason'),
		/** When and by whom it was confirmed or waived. */
		settledAt: timestamp('settled_at', { withTimezone: true }),
		settledById: uuid('settled_by_id').references(() => users.id),
		/** The due day it was last announced as coming, so that it is announced once per day set. */
		dueSoonAnnouncedFor: date('due_soon_announced_for', { mode: 'string' }),
		createdById: uuid('created_by_id')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('performance_items_case_position_idx').on(t.caseId, t.position),
		// The sweep looks only at what is still owed.
		index('performance_items_owed_due_idx')
			.on(t.dueOn)
			.where(sql`${t.state} in ('planned', 'reported')`),
		check(
			'performance_items_amount',
			sql`(${t.kind} = 'payment') = (${t.amountCents} is not null) and coalesce(${t.amountCents}, 1) > 0`
		)
	]
);

/** Proof of performance (履行凭证): receipts, transfer screenshots, stored like evidence. */
export const performanceProofs = pgTable(
	'performance_proofs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		itemId: uuid('item_id')
			.notNull()
			.references(() => performanceItems.id),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		fileId: uuid('file_id')
			.notNull()
			.references(() => storedFiles.id),
		filename: text('filename').notNull(),
		uploadedById: uuid('uploaded_by_id').references(() => users.id),
		uploadedByPartyId: uuid('uploaded_by_party_id').references(() => caseParties.id),
		createdAt: createdAt()
	},
	(t) => [
		index('performance_proofs_item_idx').on(t.itemId),
		check('performance_proofs_uploader', sql`(${t.uploadedById} is null) <> (${t.uploadedByPartyId} is null)`)
	]
);

/**
 * The courts (人民法院) an organisation node lists for judicial confirmation: an application offers
 * those of the case's committee node and its ancestors, the basic-level ones and the nearest
 * first. A court an application named is retired, never deleted.
 */
export const courts = pgTable(
	'courts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		orgNodeId: uuid('org_node_id')
			.notNull()
			.references(() => orgNodes.id),
		name: text('name').notNull(),
		address: text('address').notNull(),
		phone: text('phone').notNull(),
		/** The basic-level court (基层人民法院) of the node's area. */
		basic: boolean('basic').notNull().default(false),
		retiredAt: timestamp('retired_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('courts_node_idx').on(t.orgNodeId)]
);

/**
 * A joint application for judicial confirmation (司法确认申请) of a case's sealed agreement: the
 * court (as it was named then), the note, the mediator's decision on each flagged clause, and the
 * court's answer. One an agreement; the sealed packet once both parties have signed.
 */
export const judicialApplications = pgTable(
	'judicial_applications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		sealedAgreementId: uuid('sealed_agreement_id')
			.notNull()
			.unique()
			.references(() => sealedAgreements.id),
		courtId: uuid('court_id')
			.notNull()
			.references(() => courts.id),
		court: jsonb('court').$type<{ name: string; address: string; phone: string }>().notNull(),
		note: text('note'),
		/** DecidedClause[]: the flagged lines of the agreement and what the mediator decided. */
		clauses: jsonb('clauses').$type<DecidedClause[]>().notNull(),
		startedById: uuid('started_by_id')
			.notNull()
			.references(() => users.id),
		startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
		documentId: uuid('document_id').references(() => sealedDocuments.id),
		filedOn: date('filed_on', { mode: 'string' }),
		accepted: boolean('accepted'),
		acceptanceOn: date('acceptance_on', { mode: 'string' }),
		ruling: text('ruling'),
		rulingOn: date('ruling_on', { mode: 'string' }),
		rulingNumber: text('ruling_number'),
		rulingFileId: uuid('ruling_file_id').references(() => storedFiles.id),
		rulingFilename: text('ruling_filename')
	},
	(t) => [
		index('judicial_applications_case_idx').on(t.caseId),
		check('judicial_applications_ruling', sql`${t.ruling} in ('confirmed', 'refused')`)
	]
);

/** A party's signature on the application, with the service address and phone they confirmed. */
export const judicialSignatures = pgTable(
	'judicial_signatures',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => judicialApplications.id),
		casePartyId: uuid('case_party_id')
			.notNull()
			.references(() => caseParties.id),
		serviceAddress: text('service_address').notNull(),
		servicePhone: text('service_phone').notNull(),
		/** The drawn signature, PNG. */
		image: bytea('image').notNull(),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [uniqueIndex('judicial_signatures_party_idx').on(t.applicationId, t.casePartyId)]
);

export const followUpBasis = pgEnum('follow_up_basis', FOLLOW_UP_BASES);
export const followUpMethod = pgEnum('follow_up_method', FOLLOW_UP_METHODS);
export const followUpPerformance = pgEnum('follow_up_performance', FOLLOW_UP_PERFORMANCE);

/**
 * A follow-up visit (回访) of a case whose agreement took effect: due on a day, and once made, what
 * the visitors found, beside the sealed 人民调解回访记录 that prints it. A case has at most one
 * follow-up open (not yet recorded) at a time; recording one may open the next.
 */
export const followUps = pgTable(
	'follow_ups',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		/** 1 for the first visit, then 2, 3, … */
		seq: integer('seq').notNull(),
		basis: followUpBasis('basis').notNull(),
		dueOn: date('due_on').notNull(),
		/** Who set it: null for the first, which the agreement sets. */
		scheduledById: uuid('scheduled_by_id').references(() => users.id),
		createdAt: createdAt(),
		/** When `follow_up.due` was announced (the parties are then asked for their answer). */
		dueAnnouncedAt: timestamp('due_announced_at', { withTimezone: true }),
		// The record, once the visit is made.
		documentId: uuid('document_id').references(() => sealedDocuments.id),
		recordedById: uuid('recorded_by_id').references(() => users.id),
		recordedAt: timestamp('recorded_at', { withTimezone: true }),
		method: followUpMethod('method'),
		place: text('place'),
		visitedOn: date('visited_on'),
		/** The parties reached. */
		partyIds: uuid('party_ids').array(),
		/** Everyone who visited, the recording mediator first. */
		visitorIds: uuid('visitor_ids').array(),
		performance: followUpPerformance('performance'),
		/** 1 (very dissatisfied) to 5 (very satisfied). */
		satisfaction: integer('satisfaction'),
		/** Whether a party went to court over the matter since the agreement. */
		lawsuit: boolean('lawsuit'),
		lawsuitNote: text('lawsuit_note'),
		risks: text('risks'),
		steps: text('steps'),
		/** The recording mediator's drawn signature, PNG. */
		signature: bytea('signature'),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [
		uniqueIndex('follow_ups_case_seq_idx').on(t.caseId, t.seq),
		uniqueIndex('follow_ups_open_idx')
			.on(t.caseId)
			.where(sql`${t.recordedAt} is null`),
		index('follow_ups_due_idx')
			.on(t.dueOn)
			.where(sql`${t.recordedAt} is null`),
		check(
			'follow_ups_recorded_whole',
			sql`(${t.recordedAt} is null) = (${t.documentId} is null) and (${t.recordedAt} is null) = (${t.performance} is null)`
		),
		check('follow_ups_satisfaction_range', sql`${t.satisfaction} between 1 and 5`)
	]
);

/**
 * A party's answer to a due follow-up on their tracking page, one per party and follow-up: they
 * may correct it until the follow-up is recorded.
 */
export const followUpAnswers = pgTable(
	'follow_up_answers',
	{
		followUpId: uuid('follow_up_id')
			.notNull()
			.references(() => followUps.id),
		partyId: uuid('party_id')
			.notNull()
			.references(() => caseParties.id),
		performance: followUpPerformance('performance').notNull(),
		satisfaction: integer('satisfaction').notNull(),
		stillInDispute: boolean('still_in_dispute').notNull(),
		comment: text('comment'),
		answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.followUpId, t.partyId] }),
		check('follow_up_answers_satisfaction_range', sql`${t.satisfaction} between 1 and 5`)
	]
);

// Notifications (server/notifications/): every message sent or to send, by SMS, e-mail or in-app. --------

export const notificationChannel = pgEnum('notification_channel', NOTIFICATION_CHANNELS);
export const notificationStatus = pgEnum('notification_status', NOTIFICATION_STATUSES);

/**
 * One message to one address by one channel. The idempotency key names what it is about (the
 * event, the recipient, the channel), so the same fact never makes two; in-app messages are the
 * inbox of their recipient. `secret` holds what may not be stored with the text (an invitation's
 * PIN) until the message is sent, and is cleared then.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		idempotencyKey: text('idempotency_key').notNull().unique(),
		kind: text('kind').$type<NotificationKind>().notNull(),
		channel: notificationChannel('channel').notNull(),
		status: notificationStatus('status').notNull().default('queued'),
		caseId: uuid('case_id').references(() => cases.id),
		recipientUserId: uuid('recipient_user_id').references(() => users.id),
		casePartyId: uuid('case_party_id').references(() => caseParties.id),
		recipientName: text('recipient_name').notNull(),
		/** A mobile number (SMS) or e-mail address; null in-app. */
		address: text('address'),
		locale: text('locale').$type<NotificationLocale>().notNull(),
		/** Who signs it (SMS): the committee's name. */
		signature: text('signature').notNull(),
		/** The template's variables, secrets masked. */
		params: jsonb('params').$type<Record<string, string>>().notNull(),
		secret: jsonb('secret').$type<Record<string, string>>(),
		/** The text as sent, secrets masked. */
		body: text('body').notNull(),
		/** The meeting it is about, which lets an SMS through quiet hours within the hour before it. */
		meetingAt: timestamp('meeting_at', { withTimezone: true }),
		notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
		provider: text('provider'),
		providerMessageId: text('provider_message_id'),
		/** The provider's (or SMTP server's) code for a failure, and its words. */
		errorCode: text('error_code'),
		error: text('error'),
		attempts: integer('attempts').notNull().default(0),
		createdAt: createdAt(),
		/** When the provider took it (an SMS or e-mail): so a `failed` message with one failed on its way to the handset. */
		sentAt: timestamp('sent_at', { withTimezone: true }),
		/**
		 * The time an SMS provider's delivery receipt gives: when the handset received it (`delivered`), or
		 * when the network gave up on it (`failed`, its code in `error_code`: not delivered, though sent).
		 */
		receiptAt: timestamp('receipt_at', { withTimezone: true }),
		/** When its provider was last asked for its receipt (Aliyun is asked message by message, the least recently asked first). */
		receiptCheckedAt: timestamp('receipt_checked_at', { withTimezone: true }),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		index('notifications_case_idx').on(t.caseId, t.createdAt),
		index('notifications_recipient_idx').on(t.recipientUserId, t.createdAt),
		index('notifications_address_sent_idx').on(t.address, t.sentAt),
		index('notifications_status_idx').on(t.status, t.createdAt)
	]
);

/** A person's choices: where e-mail reaches them, in which language, and which optional kinds they turned off. */
export const notificationPreferences = pgTable('notification_preferences', {
	/** An account (`user:<id>`) or a mobile number of a party without one (`phone:<digits>`). */
	subject: text('subject').primaryKey(),
	email: text('email'),
	locale: text('locale').$type<NotificationLocale>().notNull().default('zh-CN'),
	optOut: text('opt_out')
		.array()
		.$type<NotificationKind[]>()
		.notNull()
		.default(sql`'{}'::text[]`),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** A committee's notification settings. */
export const notificationSettings = pgTable('notification_settings', {
	committeeId: uuid('committee_id')
		.primaryKey()
		.references(() => committees.id),
	pinDelivery: text('pin_delivery').$type<PinDelivery>().notNull().default('separate_message'),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
