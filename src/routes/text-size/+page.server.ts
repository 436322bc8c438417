import { redirect } from '@sveltejs/kit';
import { badRequest, readForm } from '$lib/server/form-action';
import { sameOriginPath } from '$lib/server/same-origin-path';
import { isTextSize, TEXT_SIZE_COOKIE } from '$lib/shared/text-size';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

/** The larger-text switch: a plain form like the language switch, kept for a year on this device. */
export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const { size, back } = await readForm(request);
		if (!isTextSize(size)) badRequest();
		cookies.set(TEXT_SIZE_COOKIE, size, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true });
		redirect(303, sameOriginPath(back, url.origin) ?? '/');
	}
};
