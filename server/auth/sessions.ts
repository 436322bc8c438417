import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { authSessions, users } from '../db/schema.ts';

export const SESSION_COOKIE = 'tj_session';
const DAY_MS = 86_400_000;

const tokenId = (token: string) => createHash('sha256').update(token).digest('base64url');

export type Client = { ip: string | null; userAgent: string | null };

/** Starts a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(
	db: Db,
	userId: string,
	client: Client,
	days: number
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + days * DAY_MS);
	await db.insert(authSessions).values({
		id: tokenId(token),
		userId,
		expiresAt,
		ip: client.ip,
		userAgent: client.userAgent?.slice(0, 300) ?? null
	});
	return { token, expiresAt };
}

/** `renewed`: the expiry moved, so the cookie must be sent again with it. */
export type ValidSession = { sessionId: string; actor: Actor; expiresAt: Date; renewed: boolean };

/**
 * The session of a cookie token, or null when it is unknown, expired or its
 * user deactivated. A session past half its life is extended (sliding expiry).
 */
export async function validateSession(db: Db, token: string, days: number): Promise<ValidSession | null> {
	if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
	const id = tokenId(token);
	const [row] = await db
		.select({
			expiresAt: authSessions.expiresAt,
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			role: users.role,
			orgNodeId: users.orgNodeId,
			mustChangePassword: users.mustChangePassword
		})
		.from(authSessions)
		.innerJoin(users, eq(users.id, authSessions.userId))
		.where(and(eq(authSessions.id, id), gt(authSessions.expiresAt, new Date()), eq(users.active, true)));
	if (!row) return null;
	const { expiresAt: storedExpiry, ...actor } = row;
	if (storedExpiry.getTime() - Date.now() >= (days * DAY_MS) / 2) {
		return { sessionId: id, actor, expiresAt: storedExpiry, renewed: false };
	}
	const expiresAt = new Date(Date.now() + days * DAY_MS);
	await db.update(authSessions).set({ expiresAt }).where(eq(authSessions.id, id));
	return { sessionId: id, actor, expiresAt, renewed: true };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(authSessions).where(eq(authSessions.id, sessionId));
}

export async function revokeUserSessions(db: Db, userId: string): Promise<void> {
	await db.delete(authSessions).where(eq(authSessions.userId, userId));
}
