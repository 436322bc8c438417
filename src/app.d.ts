import type { App as TiaojieApp } from '#server/app.ts';
import type { ErrorCode } from '$lib/shared/errors';
import type { Actor } from '$lib/shared/roles';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: ErrorCode;
		}
		interface Locals {
			app: TiaojieApp;
			actor: Actor | null;
			sessionId: string | null;
		}
	}
}

export {};
