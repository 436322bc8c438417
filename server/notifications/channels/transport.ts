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

/** A message the provider took and has not yet reported on: what its receipt is looked up by. */
export type AwaitingReceipt = { messageId: string; to: string; sentAt: Date };

/**
 * What the network did with a message, by the provider's delivery receipt: `code` is the carrier's
 * (DELIVERED, DELIVRD, or why not, e.g. MK:0001); `at`, when the handset received it or the network gave up.
 */
export type DeliveryReceipt = { messageId: string; to: string; delivered: boolean; code: string; at: Date };

export type Transport = {
	readonly name: string;
	send(message: OutgoingMessage): Promise<SendResult>;
	/**
	 * The delivery receipts the provider has for messages it took (a provider that reports at send
	 * time, or not at all, has none). Given what awaits one; may also return receipts of other messages.
	 */
	receipts?(awaiting: AwaitingReceipt[]): Promise<DeliveryReceipt[]>;
	close?(): Promise<void>;
};

/** A time as the Chinese providers print it, `2026-12-06 10:02:03` in China time; null if it is not one. */
export function chinaTime(text: string | undefined): Date | null {
	const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text ?? '');
	return match ? new Date(`${match[1]}T${match[2]}+08:00`) : null;
}

/** How long a provider's HTTP API may take before the attempt counts as failed (and is retried). */
export const PROVIDER_TIMEOUT_MS = 15_000;

/** Posts to a provider, turning a network failure, no answer in time or a 5xx into a retryable ProviderError. */
export async function postToProvider(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
	// A timer cleared on the answer: AbortSignal.timeout's fires after every request all the same and
	// builds an error with its stack each time, which a worker sending thousands of messages pays for.
	const abort = new AbortController();
	const timer = setTimeout(
		() => abort.abort(new Error(`no answer within ${PROVIDER_TIMEOUT_MS / 1000} s`)),
		PROVIDER_TIMEOUT_MS
	);
	let status: number;
	let text: string;
	try {
		const response = await fetch(url, { ...init, method: 'POST', signal: abort.signal });
		status = response.status;
		text = await response.text();
	} catch (error) {
		throw new ProviderError('NETWORK', (error as Error).message, true);
	} finally {
		clearTimeout(timer);
	}
	if (status >= 500) throw new ProviderError(`HTTP_${status}`, text.slice(0, 200), true);
	try {
		return { status, body: JSON.parse(text) };
	} catch {
		throw new ProviderError(`HTTP_${status}`, text.slice(0, 200), status === 429);
	}
}
