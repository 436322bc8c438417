import { eq } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { caseParties } from '#server/db/schema.ts';
import { storeAcknowledgement } from '#server/notice/acknowledge-notice.ts';
import { noticeForCase } from '#server/notice/current-notice.ts';
import type { SessionChoice } from '#shared/notice.ts';
import { CLIENT } from './test-client.ts';

/**
 * Every party of the case acknowledges the notice in force, as each one's room page asks before
 * the mediation, so that they may be let into its joint space.
 */
export async function acknowledgeNoticeForAll(app: App, caseId: string, sessionChoice: SessionChoice = 'public') {
	const { sha256 } = await noticeForCase(app.db, caseId);
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	for (const party of parties) {
		await storeAcknowledgement(app.db, {
			caseId,
			casePartyId: party.id,
			sha256,
			sessionChoice,
			via: 'invitation',
			actor: { actorLabel: party.name },
			ip: CLIENT.ip
		});
	}
}
