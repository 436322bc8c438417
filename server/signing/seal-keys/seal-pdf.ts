import { createHash } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '#shared/errors.ts';
import { openSealKey, type OpenedSealKey, type SealKey } from './seal-key.ts';

// With the seal keys: the one place where a seal key signs anything.

/** Room for the CMS signature in the file: the certificate chain of an imported .p12 fits. */
const SIGNATURE_BYTES = 16 * 1024;

export type SealDetails = { name: string; location: string; reason: string; signingTime: Date };

/** A detached CMS signature of the PDF's signed ranges with SHA-256, certificates included. */
class SealSigner extends Signer {
	readonly #key: OpenedSealKey;

	constructor(key: OpenedSealKey) {
		super();
		this.#key = key;
	}

	async sign(content: Buffer, signingTime = new Date()): Promise<Buffer> {
		const { privateKey, certificate, chain } = this.#key;
		const signed = forge.pkcs7.createSignedData();
		signed.content = forge.util.createBuffer(content.toString('binary'));
		for (const cert of [certificate, ...chain]) signed.addCertificate(cert);
		signed.addSigner({
			key: privateKey,
			certificate,
			digestAlgorithm: forge.pki.oids.sha256,
			authenticatedAttributes: [
				{ type: forge.pki.oids.contentType, value: forge.pki.oids.data },
				{ type: forge.pki.oids.signingTime, value: signingTime as unknown as string },
				{ type: forge.pki.oids.messageDigest }
			]
		});
		signed.sign({ detached: true });
		return Buffer.from(forge.asn1.toDer(signed.toAsn1()).getBytes(), 'binary');
	}
}

/*
 * Opening a .p12 runs its key derivation in JavaScript (a tenth of a second), so the last key
 * opened is kept, checked again for validity at each use.
 */
let lastOpened: { id: string; key: OpenedSealKey } | undefined;

function openCached(key: SealKey, now: Date): OpenedSealKey {
	const id = createHash('sha256').update(key.p12).update('\0').update(key.passphrase).digest('hex');
	if (lastOpened?.id !== id) lastOpened = { id, key: openSealKey(key, now) };
	const { notBefore, notAfter } = lastOpened.key.certificate.validity;
	if (now < notBefore || now > notAfter) return openSealKey(key, now);
	return lastOpened.key;
}

/**
 * A PDF text string in UTF-16BE with its byte-order mark, escaped for a literal string: the
 * placeholder writes the strings it is given byte for byte, and these hold Chinese.
 */
function textString(value: string): string {
	let bytes = '\u00fe\u00ff';
	for (let index = 0; index < value.length; index++) {
		const unit = value.charCodeAt(index);
		bytes += String.fromCharCode(unit >> 8, unit & 0xff);
	}
	return bytes.replace(/[()\\]/g, (char) => '\\' + char);
}

/**
 * The PDF with a PAdES signature (ETSI.CAdES.detached) over the whole file, made with the seal's
 * key: any later change to a byte of it shows.
 */
export async function sealPdf(pdf: Uint8Array, key: SealKey, details: SealDetails): Promise<Uint8Array> {
	const opened = openCached(key, details.signingTime);
	let doc: PDFDocument;
	try {
		doc = await PDFDocument.load(pdf, { updateMetadata: false });
	} catch (error) {
		throw new AppError('VALIDATION', { fields: { pdf: ['unreadable'] }, cause: error });
	}
	pdflibAddPlaceholder({
		pdfDoc: doc,
		reason: textString(details.reason),
		contactInfo: '',
		name: textString(details.name),
		location: textString(details.location),
		signingTime: details.signingTime,
		signatureLength: SIGNATURE_BYTES,
		subFilter: SUBFILTER_ETSI_CADES_DETACHED
	});
	const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
	const sealed = await new SignPdf().sign(prepared, new SealSigner(opened), details.signingTime);
	return new Uint8Array(sealed.buffer, sealed.byteOffset, sealed.byteLength);
}
