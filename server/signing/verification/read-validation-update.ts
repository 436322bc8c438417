import {
	PDFArray,
	PDFDict,
	PDFDocument,
	PDFName,
	PDFRawStream,
	PDFRef,
	decodePDFRawStream,
	type PDFObject
} from 'pdf-lib';

/** What a PAdES validation-data update may hold in its Document Security Store. */
const DSS_KEYS = new Set(['Type', 'Certs', 'CRLs', 'OCSPs', 'VRI']);

/** Every indirect object reachable from `start`, by number. */
function reachable(doc: PDFDocument, start: PDFObject): Set<number> {
	const seen = new Set<number>();
	const walk = (object: PDFObject | undefined): void => {
		if (object instanceof PDFRef) {
			if (seen.has(object.objectNumber)) return;
			seen.add(object.objectNumber);
			return walk(doc.context.lookup(object));
		}
		if (object instanceof PDFArray) return object.asArray().forEach(walk);
		if (object instanceof PDFDict) return object.values().forEach(walk);
		if (object instanceof PDFRawStream) return object.dict.values().forEach(walk);
	};
	walk(start);
	return seen;
}

const streamBytes = (doc: PDFDocument, ref: PDFObject): Uint8Array | null => {
	const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
	return stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : null;
};

/**
 * What follows the signed bytes of a PDF, if anything: null unless it is nothing, or one
 * incremental update that only adds validation data — a Document Security Store and what it
 * names, with the catalog written again to point at it and otherwise unchanged. Returns the
 * certificates that store keeps (DER).
 */
export async function readValidationUpdate(
	pdf: Buffer,
	signedEnd: number
): Promise<{ certificates: Uint8Array[] } | null> {
	if (signedEnd === pdf.length) return { certificates: [] };
	const tail = pdf.subarray(signedEnd).toString('latin1');
	// One update: objects, one cross-reference table, one trailer, one end of file.
	if (
		!/^\s*(\d+ \d+ obj\b[\s\S]*?\bendobj\s*)+xref\b[\s\S]*?\btrailer\b[\s\S]*?\bstartxref\s+\d+\s+%%EOF\s*$/.test(tail)
	)
		return null;
	if (tail.match(/%%EOF/g)?.length !== 1) return null;
	try {
		const signed = await PDFDocument.load(pdf.subarray(0, signedEnd), { updateMetadata: false });
		const whole = await PDFDocument.load(pdf, { updateMetadata: false });
		const root = whole.context.trailerInfo.Root;
		if (!(root instanceof PDFRef) || signed.context.trailerInfo.Root?.toString() !== root.toString()) return null;
		const catalog = whole.context.lookup(root, PDFDict);
		const dssRef = catalog.get(PDFName.of('DSS'));
		if (!(dssRef instanceof PDFRef)) return null;
		const dss = whole.context.lookup(dssRef, PDFDict);
		if (!dss.keys().every((key) => DSS_KEYS.has(key.decodeText()))) return null;
		const allowed = reachable(whole, dssRef);
		// The catalog, changed only by its /DSS.
		const before = signed.context.lookup(root, PDFDict).toString();
		catalog.delete(PDFName.of('DSS'));
		const unchanged = catalog.toString() === before;
		catalog.set(PDFName.of('DSS'), dssRef);
		if (!unchanged) return null;
		for (const match of tail.matchAll(/(\d+) \d+ obj\b/g)) {
			const number = Number(match[1]);
			if (number === root.objectNumber) continue;
			if (number <= signed.context.largestObjectNumber || !allowed.has(number)) return null;
		}
		const certs = dss.lookupMaybe(PDFName.of('Certs'), PDFArray)?.asArray() ?? [];
		return { certificates: certs.map((ref) => streamBytes(whole, ref)).filter((bytes) => bytes !== null) };
	} catch {
		return null;
	}
}
