/** Control characters, which browsers drop from a URL (`/\t/host` is `//host`), and backslashes, which they read as `/`. */
const isUnsafe = (char: string) => char <= '\u001f' || char === '\u007f' || char === '\\';

/**
 * `path` as a path on `origin` (path, query and fragment, percent-encoded so that it fits a
 * header), or null when it is anything else: empty, another host (`//host`), a scheme, a control
 * character or a backslash. Never throws, so a hostile `next` can only fall back to a default.
 */
export function sameOriginPath(path: string | null | undefined, origin: string): string | null {
	if (!path?.startsWith('/') || path.startsWith('//') || [...path].some(isUnsafe)) return null;
	try {
		const url = new URL(path, origin);
		return url.origin === origin ? url.pathname + url.search + url.hash : null;
	} catch {
		return null;
	}
}
