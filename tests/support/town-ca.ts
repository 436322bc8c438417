import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SealKey } from '#server/signing/seal-keys/seal-key.ts';

const run = promisify(execFile);

/**
 * A certificate authority on the machine, made with OpenSSL: it issues a committee's seal
 * certificate whose CRL distribution point is a small HTTP server here, which serves the CA's
 * revocation list and counts who fetched it. The seal comes as the .p12 an admin would import.
 */
export type TownCa = {
	seal: SealKey;
	caCertificate: Buffer;
	crl: Buffer;
	crlFetches: () => number;
	close(): Promise<void>;
};

const config = (crlUrl: string) => `
[ ca ]
default_ca = town
[ town ]
database = ./index.txt
crlnumber = ./crlnumber
default_md = sha256
default_crl_days = 30
[ req ]
distinguished_name = name
[ name ]
[ authority ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[ seal ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
crlDistributionPoints = URI:${crlUrl}
`;

export async function startTownCa(organisation: string, passphrase: string): Promise<TownCa> {
	const dir = await mkdtemp(join(tmpdir(), 'tiaojie-ca-'));
	const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
	let crl = Buffer.alloc(0);
	let fetches = 0;
	const server = createServer((request, response) => {
		fetches++;
		response.writeHead(request.url === '/town.crl' ? 200 : 404, { 'content-type': 'application/pkix-crl' }).end(crl);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const crlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/town.crl`;
	await writeFile(join(dir, 'ca.cnf'), config(crlUrl));
	await writeFile(join(dir, 'index.txt'), '');
	await writeFile(join(dir, 'crlnumber'), '01\n');
	await openssl(
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'30',
		'-subj',
		'/O=Town CA/CN=Town CA',
		'-config',
		'ca.cnf',
		'-extensions',
		'authority'
	);
	await openssl(
		'req',
		'-new',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-keyout',
		'seal.key',
		'-out',
		'seal.csr',
		'-utf8',
		'-subj',
		`/O=${organisation}/CN=${organisation}`,
		'-config',
		'ca.cnf'
	);
	await openssl(
		'x509',
		'-req',
		'-in',
		'seal.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-CAcreateserial',
		'-days',
		'30',
		'-extfile',
		'ca.cnf',
		'-extensions',
		'seal',
		'-out',
		'seal.pem'
	);
	await openssl('ca', '-gencrl', '-config', 'ca.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'town.crl.pem');
	await openssl('crl', '-in', 'town.crl.pem', '-outform', 'DER', '-out', 'town.crl');
	// The older PBE that forge (the app's .p12 reader) opens.
	await openssl(
		'pkcs12',
		'-export',
		'-inkey',
		'seal.key',
		'-in',
		'seal.pem',
		'-certfile',
		'ca.pem',
		'-passout',
		`pass:${passphrase}`,
		'-keypbe',
		'PBE-SHA1-3DES',
		'-certpbe',
		'PBE-SHA1-3DES',
		'-macalg',
		'sha1',
		'-out',
		'seal.p12'
	);
	crl = await readFile(join(dir, 'town.crl'));
	await openssl('x509', '-in', 'ca.pem', '-outform', 'DER', '-out', 'ca.der');
	return {
		seal: { p12: new Uint8Array(await readFile(join(dir, 'seal.p12'))), passphrase },
		caCertificate: await readFile(join(dir, 'ca.der')),
		crl,
		crlFetches: () => fetches,
		close: async () => {
			await new Promise((resolve) => server.close(resolve));
			await rm(dir, { recursive: true, force: true });
		}
	};
}
