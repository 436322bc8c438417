// subset-font ships no types; this is the part of its API the signing code uses.
declare module 'subset-font' {
	export default function subsetFont(
		font: Uint8Array,
		text: string,
		options?: { keepFeatures?: string[]; noHinting?: boolean }
	): Promise<Uint8Array>;
}
