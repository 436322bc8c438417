import { eq } from 'drizzle-orm';
import { users } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { SealingDeps } from './seal-case-document.ts';
import { sealAcceptanceRegister } from './seal-acceptance-register.ts';

/**
 * Seals each accepted case's acceptance register in the background: building and sealing a PDF
 * takes the signing worker a while, and the mediator who accepted should not wait for it. A
 * register that fails is logged; the case page offers to make it again. `settled()` waits for
 * the registers under way (tests read them; shutdown finishes them before the database closes).
 */
export class AcceptanceRegisters {
	readonly #deps: SealingDeps;
	readonly #log: Logger;
	readonly #pending = new Set<Promise<void>>();

	constructor(deps: SealingDeps, log: Logger) {
		this.#deps = deps;
		this.#log = log;
	}

	/** Starts sealing the register of a case `actorId` accepted; returns at once. */
	caseAccepted(caseId: string, actorId: string, ip: string | null): void {
		const work = this.#seal(caseId, actorId, ip).finally(() => this.#pending.delete(work));
		this.#pending.add(work);
	}

	async #seal(caseId: string, actorId: string, ip: string | null): Promise<void> {
		try {
			const [user] = await this.#deps.db.select({ name: users.displayName }).from(users).where(eq(users.id, actorId));
			await sealAcceptanceRegister(this.#deps, caseId, { actor: { id: actorId, label: user?.name ?? '' }, ip });
		} catch (error) {
			this.#log.error({ err: error, caseId }, 'acceptance register not sealed');
		}
	}

	/** Resolves once every register started so far is stored (or has failed). */
	async settled(): Promise<void> {
		while (this.#pending.size) await Promise.all(this.#pending);
	}
}
