import { AppError } from '#shared/errors.ts';

/*
 * A TrueType/OpenType collection (.ttc) holds several faces that share tables. Subsetters and
 * pdf-lib read single fonts only, so a face is copied out into a font file of its own.
 * Layout: https://learn.microsoft.com/typography/opentype/spec/otff#collections
 */

const COLLECTION_TAG = 0x74746366; // 'ttcf'
const TABLE_RECORD_SIZE = 16;
const NAME_ID_POSTSCRIPT = 6;

type TableRecord = { tag: number; checksum: number; offset: number; length: number };

const invalid = (reason: string) => new AppError('VALIDATION', { fields: { font: [reason] } });

function view(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function faceOffsets(collection: Uint8Array): number[] {
	const data = view(collection);
	if (collection.byteLength < 12 || data.getUint32(0) !== COLLECTION_TAG) throw invalid('not_a_font_collection');
	const count = data.getUint32(8);
	if (12 + count * 4 > collection.byteLength) throw invalid('truncated');
	return Array.from({ length: count }, (_, index) => data.getUint32(12 + index * 4));
}

function tableRecords(collection: Uint8Array, faceOffset: number): { sfntVersion: number; tables: TableRecord[] } {
	const data = view(collection);
	if (faceOffset + 12 > collection.byteLength) throw invalid('truncated');
	const count = data.getUint16(faceOffset + 4);
	if (faceOffset + 12 + count * TABLE_RECORD_SIZE > collection.byteLength) throw invalid('truncated');
	const tables = Array.from({ length: count }, (_, index) => {
		const at = faceOffset + 12 + index * TABLE_RECORD_SIZE;
		const record = {
			tag: data.getUint32(at),
			checksum: data.getUint32(at + 4),
			offset: data.getUint32(at + 8),
			length: data.getUint32(at + 12)
		};
		if (record.offset + record.length > collection.byteLength) throw invalid('truncated');
		return record;
	});
	return { sfntVersion: data.getUint32(faceOffset), tables };
}

const tagOf = (name: string) => [...name].reduce((value, char) => value * 256 + char.charCodeAt(0), 0);

/** The face's PostScript name from its `name` table (Windows Unicode or Macintosh Roman record). */
function postscriptName(collection: Uint8Array, tables: TableRecord[]): string | null {
	const name = tables.find((table) => table.tag === tagOf('name'));
	if (!name) return null;
	const data = view(collection);
	const count = data.getUint16(name.offset + 2);
	const strings = name.offset + data.getUint16(name.offset + 4);
	for (let index = 0; index < count; index++) {
		const at = name.offset + 6 + index * 12;
		const [platform, , , nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((field) => data.getUint16(at + field));
		if (nameId !== NAME_ID_POSTSCRIPT) continue;
		const raw = collection.subarray(strings + offset, strings + offset + length);
		if (platform === 3) return new TextDecoder('utf-16be').decode(raw);
		if (platform === 1) return new TextDecoder('latin1').decode(raw);
	}
	return null;
}

/** The PostScript names of a collection's faces, in order. */
export function collectionFaceNames(collection: Uint8Array): (string | null)[] {
	return faceOffsets(collection).map((offset) => postscriptName(collection, tableRecords(collection, offset).tables));
}

/** The face named `name` (its PostScript name, e.g. `NotoSansCJKsc-Regular`) as a font file of its own. */
export function extractCollectionFace(collection: Uint8Array, name: string): Uint8Array {
	const face = faceOffsets(collection)
		.map((offset) => tableRecords(collection, offset))
		.find(({ tables }) => postscriptName(collection, tables) === name);
	if (!face) throw invalid('face_not_found');
	const { sfntVersion, tables } = face;
	const headerSize = 12 + tables.length * TABLE_RECORD_SIZE;
	const padded = (length: number) => (length + 3) & ~3;
	const size = tables.reduce((total, table) => total + padded(table.length), headerSize);
	const font = new Uint8Array(size);
	const data = view(font);
	// The search fields of the table directory, as the spec derives them from the table count.
	const entrySelector = Math.floor(Math.log2(tables.length));
	const searchRange = 2 ** entrySelector * 16;
	data.setUint32(0, sfntVersion);
	data.setUint16(4, tables.length);
	data.setUint16(6, searchRange);
	data.setUint16(8, entrySelector);
	data.setUint16(10, tables.length * 16 - searchRange);
	let offset = headerSize;
	tables.forEach((table, index) => {
		const at = 12 + index * TABLE_RECORD_SIZE;
		data.setUint32(at, table.tag);
		data.setUint32(at + 4, table.checksum);
		data.setUint32(at + 8, offset);
		data.setUint32(at + 12, table.length);
		font.set(collection.subarray(table.offset, table.offset + table.length), offset);
		offset += padded(table.length);
	});
	return font;
}
