import type { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { fieldErrorsOf } from '#shared/validation.ts';
import { readUploads, type Upload } from '../evidence/read-uploads.ts';

/**
 * Validates a form and its files together (evidence, unless another reader is
 * given), so that one submission reports every problem at once, and nothing is
 * stored unless all is well.
 */
export async function parseIntake<S extends z.ZodType>(
	schema: S,
	input: unknown,
	files: File[],
	read: (files: File[]) => Promise<Upload[]> = readUploads
): Promise<{ data: z.output<S>; uploads: Upload[] }> {
	const parsed = schema.safeParse(input);
	const uploads = await read(files).catch((error: unknown) => error);
	if (parsed.success && !(uploads instanceof Error)) return { data: parsed.data, uploads: uploads as Upload[] };
	if (uploads instanceof Error && !(uploads instanceof AppError)) throw uploads;
	const fields = {
		...(parsed.success ? {} : fieldErrorsOf(parsed.error)),
		...(uploads instanceof AppError ? uploads.fields : {})
	};
	// When only the files are wrong, their own code stands (413 for an oversized one).
	const code = uploads instanceof AppError && parsed.success ? uploads.code : 'VALIDATION';
	throw new AppError(code, { fields });
}
