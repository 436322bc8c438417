import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigint,
	boolean,
	check,
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
import { CASE_CHANNELS, CASE_STATUSES, DISPUTE_TYPES } from '#shared/cases.ts';
import { COMMITTEE_POSITIONS, ORG_KINDS } from '#shared/orgs.ts';
import { ROLES } from '#shared/roles.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const orgKind = pgEnum('org_kind', ORG_KINDS);
export const role = pgEnum('role', ROLES);
export const committeePosition = pgEnum('committee_position', COMMITTEE_POSITIONS);
export const disputeType = pgEnum('dispute_type', DISPUTE_TYPES);
export const caseStatus = pgEnum('case_status', CASE_STATUSES);
export const caseChannel = pgEnum('case_channel', CASE_CHANNELS);

/** One row once the first-run setup has completed; its fixed key makes a second setup fail. */
export const installation = pgTable(
	'installation',
	{
		id: integer('id').primaryKey().default(1),
		rootOrgId: uuid('root_org_id')
			.notNull()
			.references(() => orgNodes.id),
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
		villageId: uuid('village_id').references(() => orgNodes.id),
		committeeId: uuid('committee_id').references(() => committees.id),
		reporterId: uuid('reporter_id').references(() => users.id),
		deadline: timestamp('deadline', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('cases_committee_status_idx').on(t.committeeId, t.status)]
);

export const caseParties = pgTable(
	'case_parties',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		side: text('side', { enum: ['applicant', 'respondent'] }).notNull(),
		name: text('name').notNull(),
		phone: text('phone'),
		address: text('address'),
		userId: uuid('user_id').references(() => users.id)
	},
	(t) => [index('case_parties_case_idx').on(t.caseId), index('case_parties_user_idx').on(t.userId)]
);

export const caseMediators = pgTable(
	'case_mediators',
	{
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.caseId, t.userId] }), index('case_mediators_user_idx').on(t.userId)]
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
