import { PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';

/** What a validator needs later without asking anyone: certificates and revocation lists, DER. */
export type ValidationData = { certificates: Uint8Array[]; crls: Uint8Array[] };

const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** Where the file's last cross-reference section starts, as its last `startxref` says. */
function lastStartXref(pdf: Buffer): number {
	const tail = pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1');
	const found = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
	if (!found) throw new Error('the PDF does not end with a cross-reference');
	return Number(found[1]);
}

/**
 * Adds a Document Security Store (/DSS, ISO 32000-2 §12.8.4.3) to a signed PDF in an incremental
 * update: the bytes signed stay as they are, so the signature before it stays valid, and the
 * catalog is written again with /DSS naming the certificates and CRLs. PAdES B-LT.
 */
export async function addValidationData(pdf: Uint8Array, data: ValidationData): Promise<Uint8Array> {
	const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
	const doc = await PDFDocument.load(original, { updateMetadata: false });
	const { context } = doc;
	const root = context.trailerInfo.Root;
	if (!(root instanceof PDFRef)) throw new Error('the PDF names no catalog');
	const catalog = context.lookup(root, PDFDict);

	const parts: Buffer[] = [latin1('\n')];
	let offset = original.length + 1;
	const entries: { number: number; offset: number }[] = [];
	const write = (number: number, generation: number, body: Buffer) => {
		entries.push({ number, offset });
		const object = Buffer.concat([latin1(`${number} ${generation} obj\n`), body, latin1('\nendobj\n')]);
		parts.push(object);
		offset += object.length;
	};
	let next = context.largestObjectNumber + 1;
	const stream = (bytes: Uint8Array) => {
		const number = next++;
		write(
			number,
			0,
			Buffer.concat([latin1(`<< /Length ${bytes.byteLength} >>\nstream\n`), bytes, latin1('\nendstream')])
		);
		return `${number} 0 R`;
	};
	const certificates = data.certificates.map(stream);
	const crls = data.crls.map(stream);
	const dss = next++;
	const crlEntry = crls.length ? ` /CRLs [${crls.join(' ')}]` : '';
	write(dss, 0, latin1(`<< /Type /DSS /Certs [${certificates.join(' ')}]${crlEntry} >>`));
	catalog.set(PDFName.of('DSS'), PDFRef.of(dss));
	write(root.objectNumber, root.generationNumber, latin1(catalog.toString()));

	// One subsection per run of consecutive object numbers; each entry is exactly 20 bytes.
	entries.sort((a, b) => a.number - b.number);
	let xref = 'xref\n';
	for (let start = 0; start < entries.length;) {
		let end = start + 1;
		while (end < entries.length && entries[end].number === entries[end - 1].number + 1) end++;
		xref += `${entries[start].number} ${end - start}\n`;
		for (const entry of entries.slice(start, end)) xref += `${String(entry.offset).padStart(10, '0')} 00000 n\r\n`;
		start = end;
	}
	const { Info, ID } = context.trailerInfo;
	const trailer = [`/Size ${next}`, `/Root ${root.toString()}`, `/Prev ${lastStartXref(original)}`];
	if (Info) trailer.push(`/Info ${Info.toString()}`);
	if (ID) trailer.push(`/ID ${ID.toString()}`);
	parts.push(latin1(`${xref}trailer\n<< ${trailer.join(' ')} >>\nstartxref\n${offset}\n%%EOF\n`));
	return new Uint8Array(Buffer.concat([original, ...parts]));
}
