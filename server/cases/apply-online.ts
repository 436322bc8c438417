import { onlineApplicationSchema } from '#shared/validation.ts';
import type { AppCore } from '../app.ts';
import { createCase, type CreatedCase } from './create-case.ts';
import { parseIntake } from './parse-intake.ts';

/**
 * A public application, without an account: it goes to the committee of its
 * village, and the applicant gets the case number and a private tracking link.
 */
export async function applyOnline(
	app: AppCore,
	input: unknown,
	files: File[],
	ip: string | null
): Promise<CreatedCase> {
	const { data, uploads } = await parseIntake(onlineApplicationSchema, input, files);
	return createCase(
		app,
		{ intake: data, channel: 'online', submittedBy: { label: data.applicant.name }, applicantLink: true, ip },
		uploads
	);
}
