import { isHttpError } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import { formAction, PLAIN_FORM_LIMIT, readForm } from '$lib/server/form-action';
import { AppError, type FormFailure } from '$lib/shared/errors';

const MB = 1024 * 1024;

/**
 * A form post whose body arrives in 64 KB chunks with no Content-Length, as a chunked upload
 * does; `pulled` counts the chunks the server asked for.
 */
function streamedPost(contentType: string, body: Uint8Array) {
	const chunk = 64 * 1024;
	const stats = { pulled: 0, chunks: Math.ceil(body.length / chunk) };
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (stats.pulled === stats.chunks) return controller.close();
			controller.enqueue(body.subarray(stats.pulled * chunk, ++stats.pulled * chunk));
		}
	});
	const request = new Request('http://localhost/login', {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: stream,
		duplex: 'half'
	} as RequestInit);
	return { request, stats };
}

const urlencoded = (fields: Record<string, string>) => new TextEncoder().encode(new URLSearchParams(fields).toString());

async function statusOf(promise: Promise<unknown>): Promise<number> {
	try {
		await promise;
		return 200;
	} catch (error) {
		if (isHttpError(error)) return error.status;
		throw error;
	}
}

describe('readForm (forms without files)', () => {
	test('reads a streamed body without a declared length', async () => {
		const { request } = streamedPost(
			'application/x-www-form-urlencoded',
			urlencoded({ username: 'admin', note: 'x'.repeat(200_000) })
		);

		const values = await readForm(request);

		expect(values.username).toBe('admin');
		expect(values.note).toHaveLength(200_000);
	});

	test('refuses a chunked body over 1 MB with 413, and stops reading it', async () => {
		const { request, stats } = streamedPost(
			'application/x-www-form-urlencoded',
			urlencoded({ username: 'admin', password: 'x'.repeat(8 * MB) })
		);

		expect(await statusOf(readForm(request))).toBe(413);
		expect(stats.pulled).toBeLessThan(stats.chunks / 2);
	});

	test('refuses a multipart body over 1 MB the same way', async () => {
		const form = new FormData();
		form.set('username', 'admin');
		form.set('facts', 'y'.repeat(PLAIN_FORM_LIMIT));
		const sample = new Request('http://localhost/', { method: 'POST', body: form });
		const { request } = streamedPost(sample.headers.get('content-type')!, new Uint8Array(await sample.arrayBuffer()));

		expect(await statusOf(readForm(request))).toBe(413);
	});

	test('a body that is no form is 400', async () => {
		const { request } = streamedPost('multipart/form-data; boundary=x', new TextEncoder().encode('not a form'));

		expect(await statusOf(readForm(request))).toBe(400);
	});
});

describe('formAction failures', () => {
	test('send the form back without a huge field, and never a password', async () => {
		const values = { name: '李秀英', facts: 'z'.repeat(40 * MB), password: 'secret-1' };

		const result = await formAction(values, async () => {
			throw new AppError('VALIDATION', { fields: { facts: ['too_long'] } });
		});

		expect(result).toMatchObject({ status: 400, data: { code: 'VALIDATION', fields: { facts: ['too_long'] } } });
		expect((result as { data: FormFailure }).data.values).toEqual({ name: '李秀英' });
	});
});
