import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real RFC 3161 timestamp authority on the machine: OpenSSL's `ts -reply` answers each request,
 * behind a small HTTP server that checks basic-auth credentials when given and records what it
 * received. Its own certificate is made at start, self-signed, for time stamping only.
 */
export type LocalTimestampAuthority = {
	url: string;
	/** The authority's certificate, PEM: what `openssl ts -verify -CAfile` trusts. */
	certificateFile: string;
	/** Each request as it came: the DER query and its Authorization header. */
	received: { query: Buffer; authorization: string | undefined }[];
	/** How the next answers go wrong, for the tests of a bad authority. */
	misbehave: 'no' | 'refuse' | 'http_error' | 'other_imprint';
	close(): Promise<void>;
};

const CONFIG = `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = $dir/serial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
certs = $dir/tsa.pem
[ req ]
distinguished_name = name
[ name ]
[ for_time_stamping ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
`;

const body = (request: IncomingMessage) =>
	new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});

export async function startTimestampAuthority(
	options: { credentials?: { username: string; password: string } } = {}
): Promise<LocalTimestampAuthority> {
	const dir = await mkdtemp(join(tmpdir(), 'tiaojie-tsa-'));
	const file = (name: string) => join(dir, name);
	await writeFile(file('tsa.cnf'), CONFIG);
	await writeFile(file('serial'), '01\n');
	await run('openssl', [
		...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-config', file('tsa.cnf')],
		...['-extensions', 'for_time_stamping', '-subj', '/O=Local TSA/CN=Local Timestamp Authority'],
		...['-keyout', file('tsa.key'), '-out', file('tsa.pem')]
	]);
	const expected = options.credentials
		? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
		: undefined;
	const authority: LocalTimestampAuthority = {
		url: '',
		certificateFile: file('tsa.pem'),
		received: [],
		misbehave: 'no',
		close: async () => {
			await new Promise((resolve) => server.close(resolve));
			await rm(dir, { recursive: true, force: true });
		}
	};
	let requests = 0;
	const server = createServer(async (request, response) => {
		const query = await body(request);
		authority.received.push({ query, authorization: request.headers.authorization });
		if (expected && request.headers.authorization !== expected) return response.writeHead(401).end();
		if (authority.misbehave === 'http_error') return response.writeHead(503).end();
		const name = `q${++requests}`;
		if (authority.misbehave === 'other_imprint') {
			// A valid token, but over other data than was asked.
			await writeFile(file(`${name}.other`), 'other data');
			await run('openssl', [
				'ts',
				'-query',
				'-data',
				file(`${name}.other`),
				'-sha256',
				'-cert',
				'-out',
				file(`${name}.tsq`)
			]);
		} else {
			await writeFile(file(`${name}.tsq`), query);
		}
		try {
			await run(
				'openssl',
				[
					...['ts', '-reply', '-config', file('tsa.cnf'), '-queryfile', file(`${name}.tsq`)],
					...['-signer', file('tsa.pem'), '-inkey', file('tsa.key'), '-out', file(`${name}.tsr`)]
				],
				{ cwd: dir }
			);
		} catch {
			return response.writeHead(400).end();
		}
		const reply =
			authority.misbehave === 'refuse' ? Buffer.from('30053003020102', 'hex') : await readFile(file(`${name}.tsr`));
		response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	authority.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
	return authority;
}
