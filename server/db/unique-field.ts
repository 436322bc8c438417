import { AppError } from '#shared/errors.ts';

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
	for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
		if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
	}
	return false;
}

/** Runs a write and reports a unique-constraint clash as `field: taken` instead of a crash. */
export async function uniqueField<T>(field: string, write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		throw new AppError('VALIDATION', { fields: { [field]: ['taken'] }, cause: error });
	}
}
