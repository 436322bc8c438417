import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { m } from '$lib/i18n/paraglide/messages';
import { AppError, type FormFailure } from '$lib/shared/errors';

const SECRET_FIELDS = /password/i;

/** Refuses a request that no form of ours could have sent: the client's mistake, answered with 400. */
export function badRequest(): never {
	error(400, { message: m.error_bad_request(), code: 'VALIDATION' });
}

/** The submitted fields; a body that does not parse as a form is the client's mistake, answered with 400. */
export async function readForm(request: Request): Promise<Record<string, string>> {
	let data: FormData;
	try {
		data = await request.formData();
	} catch {
		badRequest();
	}
	const values: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') values[key] = value;
	return values;
}

/**
 * Runs a form action's work. An AppError becomes a form failure with its
 * status, code and field codes and the submitted values (minus passwords);
 * anything else is a real fault and goes on to the error handler.
 */
export async function formAction<T>(
	values: Record<string, string>,
	work: () => Promise<T>
): Promise<T | ActionFailure<FormFailure>> {
	try {
		return await work();
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		const kept = Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_FIELDS.test(key)));
		return fail(error.status, {
			code: error.code,
			fields: error.fields,
			retryAfterSeconds: error.retryAfterSeconds,
			values: kept
		});
	}
}

/** The client's address as adapter-node reports it (behind a proxy: set ADDRESS_HEADER). */
export function clientOf(event: { getClientAddress(): string; request: Request }) {
	let ip: string | null;
	try {
		ip = event.getClientAddress();
	} catch {
		ip = null;
	}
	return { ip, userAgent: event.request.headers.get('user-agent') };
}
