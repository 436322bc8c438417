/** One message as a channel's transport gets it: the address, the text, and the SMS template's parts. */
export type OutgoingMessage = {
	/** The message's id, which the provider keeps as our reference (Aliyun `OutId`, Tencent `SessionContext`). */
	id: string;
	to: string;
	/** The committee's name the SMS is signed with (【…】), or the provider's approved signature. */
	signName: string;
	/** The full text, secrets included: for the log provider (masked there) and e-mail. */
	text: string;
	/** The subject line of an e-mail. */
	subject: string;
	/** The provider's template for this kind, when one is configured. */
	templateCode: string | undefined;
	/** The template's variables in order, secrets included. */
	params: [name: string, value: string][];
};

export type SendResult = { provider: string; messageId: string | null; delivered: boolean };

/**
 * A provider refused or could not take the message. `retry`: it may go through later (a network
 * error, the provider busy or over a rate limit), so the queue tries again with backoff; otherwise
 * (a bad number, a template not approved, wrong credentials) trying again cannot help.
 */
export class ProviderError extends Error {
	readonly code: string;
	readonly retry: boolean;
	constructor(code: string, message: string, retry: boolean) {
		super(message);
		this.name = 'ProviderError';
		this.code = code;
		this.retry = retry;
	}
}

export type Transport = {
	readonly name: string;
	send(message: OutgoingMessage): Promise<SendResult>;
	close?(): Promise<void>;
};

/** How long a provider's HTTP API may take before the attempt counts as failed (and is retried). */
export const PROVIDER_TIMEOUT_MS = 15_000;

/** Posts to a provider, turning a network failure or a 5xx into a retryable ProviderError. */
export async function postToProvider(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
	let response: Response;
	try {
		response = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
	} catch (error) {
		throw new ProviderError('NETWORK', (error as Error).message, true);
	}
	const text = await response.text();
	if (response.status >= 500) throw new ProviderError(`HTTP_${response.status}`, text.slice(0, 200), true);
	try {
		return { status: response.status, body: JSON.parse(text) };
	} catch {
		throw new ProviderError(`HTTP_${response.status}`, text.slice(0, 200), response.status === 429);
	}
}
