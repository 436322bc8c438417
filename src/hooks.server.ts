import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { currentApp } from '#server/app.ts';
import { SESSION_COOKIE, validateSession } from '#server/auth/sessions.ts';
import { paraglideMiddleware } from '$lib/i18n/paraglide/server';
import { m } from '$lib/i18n/paraglide/messages';
import { PLAIN_FORM_LIMIT } from '$lib/server/form-action';
import { securityHeaders } from '$lib/server/security-headers';
import { sessionCookieOptions } from '$lib/server/session-cookie';
import { TEXT_SIZE_COOKIE, textSizeOf } from '$lib/shared/text-size';

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		const textSize = textSizeOf(event.cookies.get(TEXT_SIZE_COOKIE));
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale).replace('%text-size%', textSize)
		});
	});

/**
 * Refuses bodies that declare an oversized length up front: file uploads up to BODY_SIZE_LIMIT
 * (which adapter-node also enforces on bodies without a length), anything else up to 1 MB. A
 * form without files counts its body again as it reads it (`readForm`), whatever it declared.
 */
const bodyLimit: Handle = ({ event, resolve }) => {
	const length = Number(event.request.headers.get('content-length') ?? 0);
	const { bodySizeLimit } = event.locals.app.config;
	const multipart = event.request.headers.get('content-type')?.startsWith('multipart/form-data');
	if (length > (multipart ? bodySizeLimit : Math.min(bodySizeLimit, PLAIN_FORM_LIMIT))) {
		return new Response(m.error_payload_too_large(), {
			status: 413,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};

/** Form posts that change nothing and need no log-in: scripts and other sites may send them. */
const OPEN_FORM_POSTS = new Set(['/verify']);
const FORM_CONTENT = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;

/**
 * SvelteKit's cross-site form check (turned off in svelte.config.js), done here so that the
 * public verification endpoint takes a PDF a script posts without an Origin header. Every other
 * form post must come from this site's own pages.
 */
const sameOriginForms: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	const crossSite =
		!['GET', 'HEAD', 'OPTIONS'].includes(request.method) &&
		FORM_CONTENT.test(request.headers.get('content-type') ?? '') &&
		request.headers.get('origin') !== url.origin;
	if (crossSite && !OPEN_FORM_POSTS.has(url.pathname)) {
		return new Response(m.error_forbidden(), { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	}
	return resolve(event);
};

const session: Handle = async ({ event, resolve }) => {
	const { app } = event.locals;
	event.locals.actor = null;
	event.locals.sessionId = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const valid = await validateSession(app.db, token, app.config.sessionDays);
		if (valid) {
			event.locals.actor = valid.actor;
			event.locals.sessionId = valid.sessionId;
			if (valid.renewed) event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event.url, valid.expiresAt));
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

const services: Handle = ({ event, resolve }) => {
	event.locals.app = currentApp();
	return resolve(event);
};

export const handle = sequence(securityHeaders, services, i18n, sameOriginForms, bodyLimit, session);

/** Unexpected errors are logged in full and reach the client only as a code and a sentence. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: m.error_not_found(), code: 'NOT_FOUND' };
	// SvelteKit's own refusals of a malformed request (405, 415, …) are the client's mistake, not a fault.
	if (status < 500) {
		currentApp().log.info(
			{ path: event.url.pathname, status, reason: error instanceof Error ? error.message : String(error) },
			'request refused'
		);
		return { message: m.error_bad_request(), code: 'VALIDATION' };
	}
	currentApp().log.error({ err: error, path: event.url.pathname, status }, 'request failed');
	return { message: m.error_internal(), code: 'INTERNAL' };
};
