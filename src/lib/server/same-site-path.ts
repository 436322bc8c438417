/** `path` if it is a path on this site (not `//host` or `/\host`, which browsers take as another site), else null. */
export function sameSitePath(path: string | null | undefined): string | null {
	return path && /^\/(?![/\\])/.test(path) ? path : null;
}
