import type { Config } from './config.ts';
import { openDatabase, type Database, type Db } from './db/client.ts';
import { createLogger, type Logger } from './log.ts';
import { bindCaseFile } from './dossier/bind-case-file.ts';
import { DomainEvents } from './events/domain-events.ts';
import { AddressThrottle } from './auth/address-throttle.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { DraftStore } from './agreements/draft-store.ts';
import { AcceptanceRegisters } from './documents/acceptance-registers.ts';
import { DocumentSealer } from './signing/document-sealer.ts';
import { FollowUpUpkeep } from './follow-ups/follow-up-upkeep.ts';
import { Insight } from './insight/insight.ts';
import { RoomRegistry } from './media/room-registry.ts';
import { Realtime } from './realtime/realtime.ts';
import { RoomPlaces } from './sessions/room-places.ts';
import { Notifications } from './notifications/notifications.ts';

/**
 * Everything with state lives here, created once per process by the process
 * entry and shared by SvelteKit handlers (through `locals.app`) and socket
 * handlers alike. Services take only the part of it they use.
 */
export type App = {
	readonly config: Config;
	readonly log: Logger;
	readonly database: Database;
	readonly db: Db;
	readonly loginThrottle: LoginThrottle;
	/** PDFs uploaded to the public verification page, per address. */
	readonly verifyThrottle: AddressThrottle;
	/** Anonymous online applications, per address. */
	readonly applyThrottle: AddressThrottle;
	readonly rooms: RoomRegistry;
	readonly drafts: DraftStore;
	readonly insight: Insight;
	/** Builds and seals agreement PDFs on a worker thread of its own. */
	readonly sealer: DocumentSealer;
	/** What the services did, for the transports and the statistics to act on. */
	readonly events: DomainEvents;
	/** Seals the acceptance register of each case accepted, in the background. */
	readonly registers: AcceptanceRegisters;
	/** Sets agreements' first follow-ups and announces those due. */
	readonly followUps: FollowUpUpkeep;
	readonly realtime: Realtime;
	/** SMS, e-mail and in-app messages: the durable queue and the channels (server/notifications/). */
	readonly notifications: Notifications;
};

/** Opens (or takes) the database, brings its schema up to date and builds the services on it. */
export async function createApp(config: Config, options: { log?: Logger; database?: Database } = {}): Promise<App> {
	const log = options.log ?? createLogger(config);
	const database = options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
	await database.migrate();
	log.info(
		{ driver: database.driver, dataDir: database.driver === 'pglite' ? config.dataDir : undefined },
		'database ready'
	);
	const events = new DomainEvents(log);
	const services = {
		config,
		log,
		database,
		db: database.db,
		loginThrottle: new LoginThrottle(config.login),
		verifyThrottle: new AddressThrottle({ max: 30, windowMinutes: 10 }),
		applyThrottle: new AddressThrottle({ max: config.apply.maxPerAddress, windowMinutes: 60 }),
		rooms: new RoomRegistry(config.media, log, new RoomPlaces(database.db, log)),
		drafts: new DraftStore(database, log),
		insight: new Insight(database.db, log, events),
		sealer: new DocumentSealer({ log, timestampAuthority: config.timestampAuthority }),
		events,
		notifications: new Notifications({ db: database.db, log, config, database })
	};
	services.insight.start();
	await services.notifications.start();
	services.notifications.subscribe(services.events);
	const followUps = new FollowUpUpkeep(services, log);
	followUps.start();
	const registers = new AcceptanceRegisters(services, log);
	const realtime = new Realtime(services);
	subscribe({ ...services, registers, followUps }, realtime);
	if (config.redisUrl) await realtime.joinCluster(config.redisUrl);
	return { ...services, registers, followUps, realtime };
}

/** Who acts on what the services did: the live connections, the early-warning rules, the case's documents. */
function subscribe(services: Omit<App, 'realtime'>, realtime: Realtime): void {
	const { events, insight, registers, followUps } = services;
	const disconnectUser = ({ userId }: { userId: string }) => realtime.disconnectUser(userId);
	events.on('user.deactivated', disconnectUser);
	events.on('user.role_changed', disconnectUser);
	events.on('user.password_reset', disconnectUser);
	events.on('invitation.revoked', ({ participantId }) => realtime.disconnectParticipant(participantId));
	events.on('session.cancelled', async ({ sessionId, invitedParticipantIds }) => {
		await realtime.endRoom(sessionId);
		for (const participantId of invitedParticipantIds) realtime.disconnectParticipant(participantId);
	});

	events.on('case.changed', ({ caseId }) => insight.caseChanged(caseId));
	// Sealing resolves the case.
	events.on('agreement.sealed', ({ caseId }) => insight.caseChanged(caseId));
	// A mediation going live puts its case in mediation.
	events.on('session.started', async ({ caseId, kind }) => {
		if (kind === 'mediation') await insight.caseChanged(caseId);
	});
	if (services.config.acceptanceRegisters === 'on_accept') {
		events.on('case.accepted', ({ caseId, actorId, ip }) => registers.caseAccepted(caseId, actorId, ip));
	}
	// An agreement takes effect as it is sealed, or as an oral agreement is registered: its follow-up is due in time.
	events.on('agreement.sealed', ({ caseId }) => followUps.agreementTookEffect(caseId));
	events.on('document.sealed', async ({ caseId, kind }) => {
		if (kind === 'oral_agreement') await followUps.agreementTookEffect(caseId);
	});
	// A closed case's file is bound as it closes, filed by whoever closed it.
	events.on('case.closed', async ({ caseId, actor }) => {
		await bindCaseFile(services, caseId, actor, null);
	});
}

export async function closeApp(app: App): Promise<void> {
	await app.realtime.close();
	await app.rooms.closeAll();
	await app.notifications.close();
	await app.drafts.close();
	await app.insight.close();
	await app.followUps.close();
	await app.registers.settled();
	await app.sealer.close();
	await app.database.close();
}

/*
 * SvelteKit bundles its own copy of the modules it imports, so the one App is
 * handed over through a process-wide symbol rather than a module variable.
 */
const APP_SLOT = Symbol.for('tiaojie.app');
type AppSlot = { [APP_SLOT]?: App };

export function publishApp(app: App | undefined): void {
	(globalThis as AppSlot)[APP_SLOT] = app;
}

export function currentApp(): App {
	const app = (globalThis as AppSlot)[APP_SLOT];
	if (!app) throw new Error('The app has not been started: run it with `npm start` or `npm run dev`.');
	return app;
}
