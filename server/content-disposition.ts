/**
 * RFC 6266: `filename*` carries the real (often Chinese) name, percent-encoded as UTF-8
 * (RFC 8187); `filename` is a plain-ASCII stand-in for clients that do not read the other,
 * `fallback` where one is given, else the name with every other character replaced.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string, fallback = name): string {
	const ascii = fallback.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
	const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
