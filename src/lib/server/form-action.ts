import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { m } from '$lib/i18n/paraglide/messages';
import { AppError, type FormFailure } from '$lib/shared/errors';

const SECRET_FIELDS = /password/i;
/** What a failed form shows again, at most: a field that would pass it is left out, not sent back. */
const ECHO_LIMIT = 256 * 1024;

/** Refuses a request that no form of ours could have sent: the client's mistake, answered with 400. */
export function badRequest(): never {
	error(400, { message: m.error_bad_request(), code: 'VALIDATION' });
}

/** The most a form without files may send; uploads have BODY_SIZE_LIMIT. */
export const PLAIN_FORM_LIMIT = 1024 * 1024;

/**
 * The submitted fields of a form that takes no files; a body that does not parse as a form is the
 * client's mistake, answered with 400. One over PLAIN_FORM_LIMIT gets 413 however it comes:
 * the body is counted as it arrives, whatever length (if any) it declared.
 */
export async function readForm(request: Request): Promise<Record<string, string>> {
	const body = await readWithin(request, PLAIN_FORM_LIMIT);
	const headers = { 'content-type': request.headers.get('content-type') ?? '' };
	return (await readUploadForm(new Request(request.url, { method: 'POST', headers, body }))).values;
}

/** The body, counted as it arrives: past `limit`, reading stops and the request gets 413. */
async function readWithin(request: Request, limit: number): Promise<Blob> {
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	let size = 0;
	try {
		for await (const chunk of request.body ?? []) {
			size += chunk.length;
			// Leaving the loop cancels the stream: the rest is never read.
			if (size > limit) break;
			chunks.push(chunk);
		}
	} catch {
		// The connection broke off mid-body.
		badRequest();
	}
	if (size > limit) error(413, { message: m.error_payload_too_large(), code: 'PAYLOAD_TOO_LARGE' });
	return new Blob(chunks);
}

/** The submitted fields and the files chosen in the form's file input (`evidence`, unless named otherwise). */
export async function readUploadForm(
	request: Request,
	fileField = 'evidence'
): Promise<{ values: Record<string, string>; files: File[] }> {
	let data: FormData;
	try {
		data = await request.formData();
	} catch {
		badRequest();
	}
	const values: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') values[key] = value;
	const files = data.getAll(fileField).filter((value) => typeof value !== 'string');
	return { values, files };
}

/**
 * Form fields named by path (`applicant.name`, `respondents.0.phone`) as the
 * nested object the schemas expect; field errors come back under the same names.
 */
export function nestedValues(values: Record<string, string>): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(values)) {
		const keys = name.split('.');
		// Only plain names and small indexes: a crafted name cannot reach prototypes or allocate huge arrays.
		if (keys.some((key) => !/^(?:[A-Za-z][A-Za-z0-9]*|\d{1,2})$/.test(key))) continue;
		let node: Record<string, unknown> = root;
		keys.slice(0, -1).forEach((key, i) => {
			if (typeof node[key] !== 'object' || node[key] === null) node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
			node = node[key] as Record<string, unknown>;
		});
		node[keys.at(-1)!] = value;
	}
	return root;
}

/**
 * A list of checkboxes named `<name>.<n>`, as `nestedValues` reads it: with gaps where boxes were
 * left unticked, closed up here. Anything but a list is left for the schema to refuse.
 */
export const withoutGaps = (list: unknown) => (Array.isArray(list) ? list.filter((id) => id !== undefined) : list);

/** The values of the ticked checkboxes named `<name>.<n>` (unticked ones send nothing). */
export const tickedValues = (values: Record<string, string>, name: string): string[] =>
	Object.entries(values)
		.filter(([key]) => key.startsWith(`${name}.`))
		.map(([, value]) => value);

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
		const kept = echoed(values);
		return fail(error.status, {
			code: error.code,
			fields: error.fields,
			retryAfterSeconds: error.retryAfterSeconds,
			values: kept
		});
	}
}

/** The submitted values to fill the form in again: no passwords, and no more than ECHO_LIMIT in all. */
function echoed(values: Record<string, string>): Record<string, string> {
	const kept: Record<string, string> = {};
	let size = 0;
	for (const [key, value] of Object.entries(values)) {
		if (SECRET_FIELDS.test(key) || size + key.length + value.length > ECHO_LIMIT) continue;
		kept[key] = value;
		size += key.length + value.length;
	}
	return kept;
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
