import type { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { fieldErrorsOf } from '#shared/validation.ts';

/** Validates input at a boundary; bad input becomes a VALIDATION error with field codes. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (!result.success) throw new AppError('VALIDATION', { fields: fieldErrorsOf(result.error) });
	return result.data;
}
