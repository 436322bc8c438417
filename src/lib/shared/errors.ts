/**
 * Error codes shared by server and client. The server never sends text meant
 * for people; the client turns a code into a message in the user's language.
 */
export const ERROR_STATUS = {
	VALIDATION: 400,
	UNAUTHENTICATED: 401,
	INVALID_CREDENTIALS: 401,
	FORBIDDEN: 403,
	/** The user to act on also reaches beyond the admin's subtree (a committee, a case): an admin above must act. */
	BEYOND_SCOPE: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	INVALID_TRANSITION: 409,
	/** A party is to acknowledge the rights and duties notice in force before being let into the joint space. */
	NOTICE_NOT_ACKNOWLEDGED: 409,
	SETUP_COMPLETE: 409,
	/** Nobody has told the app its public address yet (ORIGIN, or the admin settings): nothing can link to it. */
	PUBLIC_ORIGIN_UNSET: 409,
	PAYLOAD_TOO_LARGE: 413,
	/** The change would take an agreement draft past one of its limits (`DRAFT_LIMITS`). */
	DRAFT_LIMIT: 413,
	RATE_LIMITED: 429,
	/** One person holds as many connections as they may: another one is refused until one closes. */
	TOO_MANY_CONNECTIONS: 429,
	INTERNAL: 500,
	/** Could not be done just now (the database failed to store it): trying again may work. */
	UNAVAILABLE: 503
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
	readonly code: ErrorCode;
	readonly fields?: FieldErrors;
	readonly retryAfterSeconds?: number;

	constructor(code: ErrorCode, options: { fields?: FieldErrors; retryAfterSeconds?: number; cause?: unknown } = {}) {
		super(code, { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.fields = options.fields;
		this.retryAfterSeconds = options.retryAfterSeconds;
	}

	get status(): number {
		return ERROR_STATUS[this.code];
	}
}

/** What a failed form action returns: the code, field codes and the submitted values (never passwords). */
export type FormFailure = {
	code: ErrorCode;
	fields?: FieldErrors;
	retryAfterSeconds?: number;
	values: Record<string, string>;
};

/** The failure in a form action's result, if it is one. */
export function failureOf(form: unknown): FormFailure | null {
	return form && typeof form === 'object' && 'code' in form && form.code ? (form as FormFailure) : null;
}

/** The shape every socket acknowledgement and JSON error takes. */
export type ErrorReply = { ok: false; error: { code: ErrorCode; fields?: FieldErrors } };
export type Reply<T> = { ok: true; data: T } | ErrorReply;
