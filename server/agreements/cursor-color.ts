import { createHash } from 'node:crypto';

const COLORS = ['#b3261e', '#1e6b3a', '#1f5fa8', '#8a4baf', '#b06000', '#00796b', '#c2185b', '#5d4037'];

/** A cursor's colour in the draft, picked by author so that a person keeps theirs. */
export function cursorColorOf(authorKey: string): string {
	return COLORS[createHash('sha256').update(authorKey).digest()[0] % COLORS.length];
}
