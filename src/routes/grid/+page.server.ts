import { loadHome } from '$lib/server/load-home';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadHome(event, 'disputes:report');
