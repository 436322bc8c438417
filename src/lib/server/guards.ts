import { error, redirect } from '@sveltejs/kit';
import { authorize } from '#server/auth/authorize.ts';
import { AppError } from '$lib/shared/errors';
import type { Permission } from '$lib/shared/permissions';
import type { Actor } from '$lib/shared/roles';
import { m } from '$lib/i18n/paraglide/messages';

type GuardEvent = { locals: App.Locals; url: URL };

/** The logged-in actor, or a redirect to the log-in page (and back here afterwards). */
export function requireActor({ locals, url }: GuardEvent): Actor {
	if (!locals.actor) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (locals.actor.mustChangePassword && url.pathname !== '/account') redirect(303, '/account');
	return locals.actor;
}

/** The actor, if they hold `permission`; a 403 page otherwise. Routes check permissions only through this. */
export function requirePermission(event: GuardEvent, permission: Permission): Actor {
	const actor = requireActor(event);
	try {
		return authorize(actor, permission);
	} catch (e) {
		if (e instanceof AppError) error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
		throw e;
	}
}
