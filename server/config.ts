import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
	notificationConfigOf,
	notificationEnvSchema,
	type NotificationConfig
} from './notifications/notification-config.ts';

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Sizes as adapter-node writes them: bytes, or a number with K, M or G. */
const SIZE = /^(\d+)([KMG]?)$/i;
const size = z
	.string()
	.regex(SIZE, 'a number of bytes, or a number followed by K, M or G')
	.transform((v) => {
		const [, amount, unit] = SIZE.exec(v)!;
		return Number(amount) * SIZE_UNITS[unit.toUpperCase()];
	});

const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	HOST: z.string().min(1).default('0.0.0.0'),
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	DATA_DIR: z.string().min(1).default('./data'),
	DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// or postgresql:// URL' }).optional(),
	ORIGIN: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
	PROTOCOL_HEADER: z.string().optional(),
	// Other addresses whose pages may open sockets (the app's own is always allowed): comma-separated.
	EXTRA_ORIGINS: z
		.string()
		.transform((v) => v.split(',').map((origin) => origin.trim()))
		.pipe(z.array(z.url({ protocol: /^https?$/, error: 'http:// or https:// URLs, separated by commas' })))
		.default([]),
	// Serve HTTPS directly, for a site without a TLS reverse proxy: PEM files of the certificate (with its chain) and key.
	TLS_CERT_FILE: z.string().min(1).optional(),
	TLS_KEY_FILE: z.string().min(1).optional(),
	// Room for a form with the most evidence files it may carry (5 × 20 MB).
	BODY_SIZE_LIMIT: size.default(101 * 1024 * 1024),
	SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
	LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
	LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
	// Anonymous online applications: per address in an hour, per committee in a day, evidence per application.
	APPLY_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
	APPLY_MAX_PER_COMMITTEE: z.coerce.number().int().min(1).max(100_000).default(100),
	APPLY_EVIDENCE_LIMIT: size.default(20 * 1024 * 1024),
	// When the acceptance register (受理登记表) is sealed: as each case is accepted, or only when a mediator asks.
	ACCEPTANCE_REGISTERS: z.enum(['on_accept', 'on_demand']).default('on_accept'),
	// An RFC 3161 timestamp authority: seals then carry a trusted time and their validation data (PAdES B-LT).
	TSA_URL: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
	TSA_USERNAME: z.string().max(256).optional(),
	TSA_PASSWORD: z.string().max(1024).optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	// Several app processes share rooms' and drafts' messages through Redis.
	REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).optional(),
	MEDIA_WORKERS: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
	MEDIA_LISTEN_IP: z.union([z.ipv4(), z.ipv6()], { error: 'an IPv4 or IPv6 address' }).default('127.0.0.1'),
	// What clients are told to connect to when MEDIA_LISTEN_IP is not reachable from them (NAT): an IP or a host name.
	MEDIA_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
	MEDIA_MIN_PORT: port.default(40000),
	MEDIA_MAX_PORT: port.default(40100)
});

/** With the notification settings (server/notifications/notification-config.ts). */
const settings = schema.extend(notificationEnvSchema.shape);

export type Config = Readonly<{
	env: 'development' | 'production' | 'test';
	host: string;
	port: number;
	dataDir: string;
	databaseUrl: string | undefined;
	/** Redis, when more than one app process serves the same database. */
	redisUrl: string | undefined;
	/** The app's public address, or the header a TLS proxy states the protocol in; with neither, plain HTTP. */
	origin: string | undefined;
	protocolHeader: string | undefined;
	/** Origins besides the app's own whose pages may open sockets. */
	extraOrigins: string[];
	/** The app's own certificate, when it serves HTTPS itself. */
	tls: { certFile: string; keyFile: string } | undefined;
	bodySizeLimit: number;
	sessionDays: number;
	login: { maxFailures: number; windowMinutes: number };
	/** Limits on anonymous online applications, which anyone can send. */
	apply: { maxPerAddress: number; maxPerCommittee: number; evidenceLimit: number };
	/** Whether accepting a case seals its acceptance register (in the background), or a mediator makes it from the case page. */
	acceptanceRegisters: 'on_accept' | 'on_demand';
	/** The timestamp authority seals are stamped by; without one they are PAdES B-B. */
	timestampAuthority: { url: string; username?: string; password?: string } | undefined;
	logLevel: z.infer<typeof settings>['LOG_LEVEL'];
	media: MediaConfig;
	/** SMS, e-mail and in-app messages, and the queue that sends them. */
	notifications: NotificationConfig;
}>;

/** mediasoup: workers in the pool, the address WebRTC listens on and announces, the UDP and TCP port range. */
export type MediaConfig = Readonly<{
	workers: number;
	listenIp: string;
	announcedAddress: string | undefined;
	minPort: number;
	maxPort: number;
}>;

export class ConfigError extends Error {
	readonly problems: string[];

	constructor(problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
		this.problems = problems;
	}
}

/** Reads the environment once, at start-up; nothing else in the app reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	// An empty variable means "not set", as in most shells' `VAR= command`.
	const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
	const parsed = settings.safeParse(given);
	if (!parsed.success) {
		throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
	}
	const c = parsed.data;
	if (c.MEDIA_MIN_PORT > c.MEDIA_MAX_PORT) throw new ConfigError(['MEDIA_MAX_PORT: must not be below MEDIA_MIN_PORT']);
	if (['0.0.0.0', '::'].includes(c.MEDIA_LISTEN_IP) && !c.MEDIA_ANNOUNCED_ADDRESS) {
		// Browsers cannot send media to "any address": they must be told a real one.
		throw new ConfigError(['MEDIA_ANNOUNCED_ADDRESS: required when MEDIA_LISTEN_IP listens on every address']);
	}
	if ((c.TSA_USERNAME || c.TSA_PASSWORD) && !c.TSA_URL)
		throw new ConfigError(['TSA_USERNAME, TSA_PASSWORD: only with TSA_URL']);
	if (!c.TLS_CERT_FILE !== !c.TLS_KEY_FILE) throw new ConfigError(['TLS_CERT_FILE, TLS_KEY_FILE: set both or neither']);
	const notifications = notificationConfigOf(c);
	if (Array.isArray(notifications)) throw new ConfigError(notifications);
	return Object.freeze({
		env: c.NODE_ENV,
		host: c.HOST,
		port: c.PORT,
		dataDir: resolve(c.DATA_DIR),
		databaseUrl: c.DATABASE_URL,
		redisUrl: c.REDIS_URL,
		origin: c.ORIGIN,
		protocolHeader: c.PROTOCOL_HEADER,
		extraOrigins: c.EXTRA_ORIGINS.map((url) => new URL(url).origin),
		tls:
			c.TLS_CERT_FILE && c.TLS_KEY_FILE
				? { certFile: resolve(c.TLS_CERT_FILE), keyFile: resolve(c.TLS_KEY_FILE) }
				: undefined,
		bodySizeLimit: c.BODY_SIZE_LIMIT,
		sessionDays: c.SESSION_DAYS,
		login: { maxFailures: c.LOGIN_MAX_FAILURES, windowMinutes: c.LOGIN_WINDOW_MINUTES },
		apply: {
			maxPerAddress: c.APPLY_MAX_PER_ADDRESS,
			maxPerCommittee: c.APPLY_MAX_PER_COMMITTEE,
			evidenceLimit: c.APPLY_EVIDENCE_LIMIT
		},
		acceptanceRegisters: c.ACCEPTANCE_REGISTERS,
		timestampAuthority: c.TSA_URL ? { url: c.TSA_URL, username: c.TSA_USERNAME, password: c.TSA_PASSWORD } : undefined,
		logLevel: c.LOG_LEVEL,
		media: {
			workers: c.MEDIA_WORKERS,
			listenIp: c.MEDIA_LISTEN_IP,
			announcedAddress: c.MEDIA_ANNOUNCED_ADDRESS,
			minPort: c.MEDIA_MIN_PORT,
			maxPort: c.MEDIA_MAX_PORT
		},
		notifications
	});
}

/** The configuration of a process entry (`npm start`, `npm run worker`): an invalid one is told and ends the process. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
	try {
		return loadConfig(env);
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(error.message);
		process.exit(1);
	}
}
