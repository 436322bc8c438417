import { json } from '@sveltejs/kit';
import { AppError, type ErrorReply } from '$lib/shared/errors';
import type { Verification } from '$lib/shared/verification';
import { verifyQuery, verifyUpload } from '$lib/server/verify-request';
import type { RequestHandler } from './$types';

/*
 * The verification page's machine answer: requests that do not ask for HTML (Accept:
 * application/json) come here, browsers get the page. A Verification (dates in ISO 8601), or an
 * ErrorReply with the error's status. README describes it.
 */
async function answer(work: () => Promise<Verification> | null): Promise<Response> {
	const headers = { 'cache-control': 'no-store' };
	try {
		const verification = await work();
		if (verification) return json(verification, { headers });
		return json({ ok: false, error: { code: 'VALIDATION', fields: { sha256: ['required'] } } } satisfies ErrorReply, {
			status: 400,
			headers
		});
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		const reply: ErrorReply = { ok: false, error: { code: error.code, fields: error.fields } };
		const retry: Record<string, string> = error.retryAfterSeconds
			? { 'retry-after': String(error.retryAfterSeconds) }
			: {};
		return json(reply, { status: error.status, headers: { ...headers, ...retry } });
	}
}

export const GET: RequestHandler = ({ locals, url }) => answer(() => verifyQuery(locals, url));

export const POST: RequestHandler = (event) => answer(() => verifyUpload(event));
