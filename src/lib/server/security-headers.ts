import type { Handle } from '@sveltejs/kit';

/**
 * Sent with every response. Pages also get their Content-Security-Policy (svelte.config.js), which
 * keeps them out of every frame; files are left framable, for the app's own evidence preview.
 * Camera, microphone and screen sharing are for the app's own pages only.
 */
const SECURITY_HEADERS = {
	'referrer-policy': 'same-origin',
	'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()',
	'x-content-type-options': 'nosniff'
};

export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	// A route's own stricter choice stands (a private link's pages and files send no Referer at all).
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	// Only over HTTPS: a browser ignores it on plain HTTP, and a site without TLS must stay reachable.
	if (event.url.protocol === 'https:') response.headers.set('strict-transport-security', 'max-age=31536000');
	return response;
};
