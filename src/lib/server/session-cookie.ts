import type { CookieSerializeOptions } from 'cookie';

/** httpOnly and SameSite=Lax; Secure whenever the site is served over HTTPS. */
export function sessionCookieOptions(url: URL, expires: Date): CookieSerializeOptions & { path: string } {
	return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires };
}
