import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '#server/config.ts';

function configErrorOf(env: Record<string, string>): ConfigError {
	try {
		loadConfig(env);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return error as ConfigError;
	}
	return expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** The variable names a ConfigError complains about, in order. */
const namesIn = (error: ConfigError) => error.problems.map((problem) => problem.split(':')[0]);

describe('loadConfig', () => {
	test('an empty environment gives the documented defaults', () => {
		expect(loadConfig({})).toMatchObject({
			env: 'production',
			host: '0.0.0.0',
			port: 3000,
			dataDir: resolve('data'),
			databaseUrl: undefined,
			origin: undefined,
			extraOrigins: [],
			bodySizeLimit: 101 * 1024 * 1024,
			sessionDays: 14,
			login: { maxFailures: 5, windowMinutes: 15 },
			apply: { maxPerAddress: 10, maxPerCommittee: 100, evidenceLimit: 20 * 1024 * 1024 },
			logLevel: 'info',
			media: {
				workers: availableParallelism(),
				listenIp: '127.0.0.1',
				announcedAddress: undefined,
				minPort: 40000,
				maxPort: 40100
			}
		});
	});

	test('reads only the environment it is given, and freezes the result', () => {
		const config = loadConfig({ PORT: '8080', DATA_DIR: '/srv/tiaojie', SESSION_DAYS: '30', LOG_LEVEL: 'warn' });
		expect(config).toMatchObject({ port: 8080, dataDir: '/srv/tiaojie', sessionDays: 30, logLevel: 'warn' });
		expect(Object.isFrozen(config)).toBe(true);
	});

	test('a relative DATA_DIR is resolved against the working directory', () => {
		expect(loadConfig({ DATA_DIR: 'var/db' }).dataDir).toBe(resolve(process.cwd(), 'var/db'));
	});

	test.each([
		['1M', 1_048_576],
		['512K', 524_288],
		['512k', 524_288],
		['2G', 2 * 1024 ** 3],
		['65536', 65_536]
	])('BODY_SIZE_LIMIT %s is %i bytes', (value, bytes) => {
		expect(loadConfig({ BODY_SIZE_LIMIT: value }).bodySizeLimit).toBe(bytes);
	});

	test.each(['postgres://tiaojie@db.internal:5432/tiaojie', 'postgresql://u:p@127.0.0.1/x'])(
		'accepts DATABASE_URL %s',
		(url) => {
			expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
		}
	);

	test('the media settings are read from MEDIA_* variables', () => {
		const config = loadConfig({
			MEDIA_WORKERS: '3',
			MEDIA_LISTEN_IP: '0.0.0.0',
			MEDIA_ANNOUNCED_ADDRESS: 'media.town.example',
			MEDIA_MIN_PORT: '50000',
			MEDIA_MAX_PORT: '50000'
		});
		expect(config.media).toEqual({
			workers: 3,
			listenIp: '0.0.0.0',
			announcedAddress: 'media.town.example',
			minPort: 50000,
			maxPort: 50000
		});
		expect(loadConfig({ MEDIA_LISTEN_IP: '::1' }).media.listenIp).toBe('::1');
	});

	test('listening on every address needs the address to announce', () => {
		expect(namesIn(configErrorOf({ MEDIA_LISTEN_IP: '0.0.0.0' }))).toEqual(['MEDIA_ANNOUNCED_ADDRESS']);
		expect(namesIn(configErrorOf({ MEDIA_LISTEN_IP: '::' }))).toEqual(['MEDIA_ANNOUNCED_ADDRESS']);
		expect(loadConfig({ MEDIA_LISTEN_IP: '0.0.0.0', MEDIA_ANNOUNCED_ADDRESS: '203.0.113.7' }).media.listenIp).toBe(
			'0.0.0.0'
		);
	});

	test('a media port range that ends before it starts is refused', () => {
		const error = configErrorOf({ MEDIA_MIN_PORT: '40100', MEDIA_MAX_PORT: '40000' });
		expect(namesIn(error)).toEqual(['MEDIA_MAX_PORT']);
	});

	test('the app serves HTTPS itself with both TLS files, and refuses one without the other', () => {
		expect(loadConfig({}).tls).toBeUndefined();
		expect(loadConfig({ TLS_CERT_FILE: '/etc/tiaojie/cert.pem', TLS_KEY_FILE: 'key.pem' }).tls).toEqual({
			certFile: '/etc/tiaojie/cert.pem',
			keyFile: resolve('key.pem')
		});
		expect(namesIn(configErrorOf({ TLS_CERT_FILE: '/etc/tiaojie/cert.pem' }))).toEqual(['TLS_CERT_FILE, TLS_KEY_FILE']);
	});

	test('a timestamp authority is TSA_URL with optional credentials, which make no sense without it', () => {
		expect(loadConfig({}).timestampAuthority).toBeUndefined();
		expect(
			loadConfig({ TSA_URL: 'https://tsa.example.org/tsr', TSA_USERNAME: 'town', TSA_PASSWORD: 'secret' })
				.timestampAuthority
		).toEqual({ url: 'https://tsa.example.org/tsr', username: 'town', password: 'secret' });
		expect(namesIn(configErrorOf({ TSA_URL: 'ftp://tsa.example.org' }))).toEqual(['TSA_URL']);
		expect(namesIn(configErrorOf({ TSA_PASSWORD: 'secret' }))).toEqual(['TSA_USERNAME, TSA_PASSWORD']);
	});

	test('EXTRA_ORIGINS is a comma-separated list of http(s) addresses, kept as origins', () => {
		expect(
			loadConfig({ EXTRA_ORIGINS: 'http://tiaojie.intranet:8080, https://Mirror.example.gov.cn/path' }).extraOrigins
		).toEqual(['http://tiaojie.intranet:8080', 'https://mirror.example.gov.cn']);
		for (const value of ['tiaojie.intranet', 'http://a.example,,http://b.example', 'ftp://files.example']) {
			expect(namesIn(configErrorOf({ EXTRA_ORIGINS: value })), value).toEqual([
				expect.stringMatching(/^EXTRA_ORIGINS/)
			]);
		}
	});

	test('an empty DATABASE_URL means the embedded database', () => {
		expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
	});

	test('an empty variable means not set, so its default applies', () => {
		const config = loadConfig({ PORT: '', BODY_SIZE_LIMIT: '', LOG_LEVEL: '' });
		expect(config.port).toBe(3000);
		expect(config.bodySizeLimit).toBe(101 * 1024 * 1024);
		expect(config.logLevel).toBe('info');
	});

	test.each([
		['PORT', 'http'],
		['PORT', '70000'],
		['PORT', '-1'],
		['PORT', '80.5'],
		['DATABASE_URL', 'mysql://root@localhost/tiaojie'],
		['DATABASE_URL', 'not a url'],
		['BODY_SIZE_LIMIT', '1MB'],
		['BODY_SIZE_LIMIT', '1.5M'],
		['BODY_SIZE_LIMIT', '-1'],
		['NODE_ENV', 'staging'],
		['LOG_LEVEL', 'verbose'],
		['SESSION_DAYS', '0'],
		['LOGIN_MAX_FAILURES', 'many'],
		['MEDIA_WORKERS', '0'],
		['MEDIA_WORKERS', 'all'],
		['MEDIA_LISTEN_IP', 'localhost'],
		['MEDIA_LISTEN_IP', '300.1.1.1'],
		['MEDIA_MIN_PORT', '0'],
		['MEDIA_MAX_PORT', '70000']
	])('%s=%s is refused with a ConfigError naming the variable', (name, value) => {
		const error = configErrorOf({ [name]: value });
		expect(namesIn(error)).toEqual([name]);
		expect(error.message).toContain(name);
	});

	test('every invalid variable is listed at once', () => {
		const error = configErrorOf({
			PORT: 'x',
			DATABASE_URL: 'mysql://db/x',
			BODY_SIZE_LIMIT: 'lots',
			HOST: 'localhost'
		});
		expect(namesIn(error).sort()).toEqual(['BODY_SIZE_LIMIT', 'DATABASE_URL', 'PORT']);
		for (const name of ['PORT', 'DATABASE_URL', 'BODY_SIZE_LIMIT']) expect(error.message).toContain(name);
		expect(error.name).toBe('ConfigError');
	});
});
