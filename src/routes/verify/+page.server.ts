import { AppError } from '$lib/shared/errors';
import { formAction } from '$lib/server/form-action';
import { verifyQuery, verifyUpload } from '$lib/server/verify-request';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const sha256 = url.searchParams.get('sha256') ?? '';
	try {
		return { sha256, verification: await verifyQuery(locals, url), failure: null };
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		return { sha256, verification: null, failure: { code: error.code, fields: error.fields, values: { sha256 } } };
	}
};

export const actions: Actions = {
	default: (event) => formAction({}, async () => ({ verification: await verifyUpload(event) }))
};
