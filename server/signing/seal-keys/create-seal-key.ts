import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { z } from 'zod';
import { parseInput } from '../../parse-input.ts';
import { encodeSealKey, type NewSealKey } from './seal-key.ts';

const VALID_YEARS = 10;

const optionsSchema = z.object({
	/** The committee or organisation the seal speaks for, e.g. 青山镇人民调解委员会. */
	organisation: z.string().trim().min(1).max(64),
	passphrase: z.string().min(12).max(1024),
	now: z.date().optional()
});

/**
 * A new self-signed seal certificate for a committee, valid for ten years, with an RSA-2048 key,
 * as a passphrase-protected .p12. Node makes the key: forge's own RSA in JavaScript takes seconds.
 */
export function createSealKey(options: z.input<typeof optionsSchema>): NewSealKey {
	const { organisation, passphrase, now = new Date() } = parseInput(optionsSchema, options);
	const { privateKey: privatePem, publicKey: publicPem } = generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
	});
	const privateKey = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
	const certificate = forge.pki.createCertificate();
	certificate.publicKey = forge.pki.publicKeyFromPem(publicPem);
	// A positive serial: the top bit clear, as DER integers are signed.
	certificate.serialNumber = '01' + randomBytes(15).toString('hex');
	// Whole seconds, as the certificate records them; a minute back for clocks slightly behind.
	const start = Math.floor(now.getTime() / 1000) * 1000;
	certificate.validity.notBefore = new Date(start - 60_000);
	certificate.validity.notAfter = new Date(start);
	certificate.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + VALID_YEARS);
	// forge encodes a UTF8String value itself.
	const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 });
	const subject = [
		{ shortName: 'C', value: 'CN' },
		{ shortName: 'O', ...utf8(organisation) },
		{ shortName: 'CN', ...utf8(organisation) }
	] as forge.pki.CertificateField[];
	certificate.setSubject(subject);
	certificate.setIssuer(subject);
	certificate.setExtensions([
		{ name: 'basicConstraints', cA: false },
		{ name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
		{ name: 'subjectKeyIdentifier' }
	]);
	certificate.sign(privateKey, forge.md.sha256.create());
	return encodeSealKey({ privateKey, certificate, chain: [] }, passphrase);
}
