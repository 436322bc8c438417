import { AppError } from '#shared/errors.ts';
import { roleHas, type Permission } from '#shared/permissions.ts';
import type { Actor } from '#shared/roles.ts';

/**
 * The one permission check of the server: every route and every socket handler
 * calls it. It returns the actor so a handler can go on with a non-null one.
 */
export function authorize(actor: Actor | null | undefined, permission: Permission): Actor {
	if (!actor) throw new AppError('UNAUTHENTICATED');
	if (!roleHas(actor.role, permission)) throw new AppError('FORBIDDEN');
	return actor;
}
