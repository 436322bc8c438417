import type { Config } from '../config.ts';

/**
 * Whether a socket's handshake comes from one of the app's own pages: the `Origin` is `ORIGIN`
 * (without it, the address the request itself was sent to) or one of `EXTRA_ORIGINS`. Browsers
 * send `Origin` on every WebSocket handshake and every cross-origin request, so a page elsewhere
 * (another port of the host, a sibling subdomain) cannot leave it out. A handshake without one
 * comes from a program, such as a script or a test client, that holds the cookie itself rather
 * than riding on a browser's: it is let through.
 */
export function isAllowedOrigin(
	origin: string | undefined,
	host: string | undefined,
	config: Pick<Config, 'origin' | 'extraOrigins'>
): boolean {
	if (origin === undefined) return true;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		// `null` (a sandboxed frame, a file) and anything else that is not an origin.
		return false;
	}
	if (config.extraOrigins.includes(url.origin)) return true;
	return config.origin ? url.origin === new URL(config.origin).origin : url.host === host;
}
