import { sealMediationRecord } from '../documents/seal-mediation-record.ts';
import { sealCaseAgreement } from '../signing/signatures/seal-case-agreement.ts';
import { describeDraft } from './describe-draft.ts';
import type { DraftAudience } from './draft-audience.ts';
import type { Applied } from './draft-store.ts';
import { updateMessage } from './draft-sync.ts';
import { DraftVisit, type DraftsInCommon, type DraftVisitor, type LiveDraftsDeps } from './draft-visit.ts';

/**
 * The drafts people are in (case agreements, session records): y-protocols sync and awareness for those with a part
 * in the case, its settings, versions, comments, signing and sealing, and telling everyone in a
 * draft what changed. It knows no transport: it reaches people through a DraftAudience, and each
 * connection is a DraftVisit.
 */
export class LiveDrafts implements DraftsInCommon {
	readonly deps: LiveDraftsDeps;
	readonly audience: DraftAudience;

	constructor(deps: LiveDraftsDeps, audience: DraftAudience) {
		this.deps = deps;
		this.audience = audience;
	}

	/** A connection comes to the drafts: it opens them, and acts in them, through the visit. */
	visit(visitor: DraftVisitor): DraftVisit {
		return new DraftVisit(this, visitor);
	}

	/**
	 * Once stored, everyone else in the draft gets the update, the other processes too (they store
	 * nothing, they only follow), and a version it superseded or a new author is told.
	 */
	async share(draftId: string, update: Uint8Array, applied: Applied, from: string): Promise<void> {
		if (!applied.applied) return;
		const superseded = await applied.stored;
		this.audience.toOthers(draftId, from, 'draft:sync', { draftId, message: updateMessage(update) });
		this.audience.applied(draftId, update, applied.authors);
		if (superseded || applied.newAuthors) await this.announce(draftId, superseded !== null);
	}

	/** The draft's settings, versions, signatures or authors changed: everyone in it gets them anew. */
	async announce(draftId: string, unfrozen = false): Promise<void> {
		const draft = await this.deps.drafts.live(draftId);
		const snapshot = await describeDraft(this.deps.db, draft);
		const superseded = unfrozen ? snapshot.versions.findLast((v) => v.supersededAt && v.sha256) : undefined;
		this.audience.toEveryone(draftId, 'draft:changed', { draftId, snapshot, unfrozen: superseded });
	}

	/** Seals the agreement, or the session's record, if every signature is in, and tells everyone. */
	async sealWhenSigned(draftId: string): Promise<void> {
		const draft = await this.deps.drafts.live(draftId);
		const sealed =
			draft.kind === 'agreement'
				? await sealCaseAgreement(this.deps, draftId, draft.caseId)
				: await sealMediationRecord(this.deps, draft);
		if (sealed) await this.announce(draftId);
	}
}
