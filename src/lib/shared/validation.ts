import { z } from 'zod';
import { COMMITTEE_POSITIONS, ORG_KINDS } from './orgs.ts';
import { ROLES } from './roles.ts';
import type { FieldErrors } from './errors.ts';

/**
 * Field error codes. Schemas name them as messages; the UI turns each into a
 * sentence in the user's language.
 */
export const FIELD_ERRORS = ['required', 'too_short', 'too_long', 'invalid', 'mismatch', 'taken'] as const;
export type FieldErrorCode = (typeof FIELD_ERRORS)[number];

const text = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');

export const PASSWORD_MIN = 8;
const newPassword = z.string({ error: 'required' }).min(PASSWORD_MIN, 'too_short').max(200, 'too_long');
const username = z
	.string({ error: 'required' })
	.trim()
	.min(3, 'too_short')
	.max(40, 'too_long')
	.regex(/^[A-Za-z0-9_.-]+$/, 'invalid');
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.optional()
		.transform((v) => (v ? v : undefined));
const phone = optionalText(30).refine((v) => v === undefined || /^[0-9+\- ]{5,30}$/.test(v), 'invalid');
const id = z.uuid('invalid');
const optionalId = z
	.union([z.literal(''), id])
	.optional()
	.transform((v) => (v ? v : undefined));

export const loginSchema = z.object({
	username: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long'),
	password: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long')
});

const passwordsMatch = (v: { password: string; passwordConfirm: string }) => v.password === v.passwordConfirm;
const mismatch = { message: 'mismatch', path: ['passwordConfirm'] };

export const setupSchema = z
	.object({
		countyName: optionalText(60),
		townName: text(60),
		committeeName: text(80),
		townCode: z
			.string({ error: 'required' })
			.trim()
			.regex(/^[A-Z]{2,6}$/, 'invalid'),
		username,
		displayName: text(60),
		password: newPassword,
		passwordConfirm: z.string({ error: 'required' })
	})
	.refine(passwordsMatch, mismatch);

export const passwordChangeSchema = z
	.object({
		currentPassword: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long'),
		password: newPassword,
		passwordConfirm: z.string({ error: 'required' })
	})
	.refine(passwordsMatch, mismatch);

export const orgNodeCreateSchema = z.object({
	parentId: id,
	kind: z.enum(ORG_KINDS, 'invalid'),
	name: text(60),
	code: optionalText(12)
});

export const orgNodeRenameSchema = z.object({ nodeId: id, name: text(60) });

export const committeeCreateSchema = z.object({ orgNodeId: id, name: text(80) });

export const userCreateSchema = z.object({
	username,
	displayName: text(60),
	phone,
	role: z.enum(ROLES, 'invalid'),
	orgNodeId: id,
	committeeId: optionalId,
	position: z.enum(COMMITTEE_POSITIONS, 'invalid').default('member')
});

export const userUpdateSchema = z.object({
	userId: id,
	role: z.enum(ROLES, 'invalid'),
	orgNodeId: id,
	committeeId: optionalId,
	position: z.enum(COMMITTEE_POSITIONS, 'invalid').default('member')
});

export const userIdSchema = z.object({ userId: id });

/** Zod issues as field → error codes, the form every boundary reports them in. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
	const fields: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.join('.') || '_';
		const code = (FIELD_ERRORS as readonly string[]).includes(issue.message) ? issue.message : 'invalid';
		(fields[key] ??= []).push(code);
	}
	return fields;
}
