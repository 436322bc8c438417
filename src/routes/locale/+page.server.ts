import { redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/i18n/paraglide/runtime';
import { badRequest, readForm } from '$lib/server/form-action';
import { sameOriginPath } from '$lib/server/same-origin-path';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

/** The language switch: a plain form, so it works before (and without) the page's scripts. */
export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const { locale, back } = await readForm(request);
		if (!isLocale(locale)) badRequest();
		// Not httpOnly: paraglide's browser runtime reads the locale from this cookie.
		cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, sameSite: 'lax', httpOnly: false });
		redirect(303, sameOriginPath(back, url.origin) ?? '/');
	}
};
