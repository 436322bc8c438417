import { TEXT_SIZE_COOKIE, textSizeOf } from '$lib/shared/text-size';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, cookies }) => ({
	actor: locals.actor,
	textSize: textSizeOf(cookies.get(TEXT_SIZE_COOKIE))
});
