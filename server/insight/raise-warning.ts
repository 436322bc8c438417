import type { WarningRule, WarningSeverity } from '#shared/warnings.ts';
import type { Db } from '../db/client.ts';
import { warnings } from '../db/schema.ts';

export type NewWarning = {
	rule: WarningRule;
	/** What the warning is about; the same rule never raises a second warning on the same subject. */
	subjectKey: string;
	severity: WarningSeverity;
	orgPath: string;
	caseId?: string;
	villageId?: string;
	details: Record<string, unknown>;
};

/** Raises a warning unless the rule already did for this subject; true when it is new. */
export async function raiseWarning(db: Db, warning: NewWarning): Promise<boolean> {
	const inserted = await db
		.insert(warnings)
		.values(warning)
		.onConflictDoNothing({ target: [warnings.rule, warnings.subjectKey] })
		.returning({ id: warnings.id });
	return inserted.length > 0;
}
