import { and, count, eq } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import { monthlyReportSchema } from '#shared/statistics.ts';
import type { WarningRule, WarningSeverity } from '#shared/warnings.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { orgNodes, warnings } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { getAssessment, type Assessment } from './get-assessment.ts';
import { getDashboard, type Dashboard } from './get-dashboard.ts';
import { monthOf, withinPeriod } from './period.ts';
import { statisticsPaths, underPaths } from './statistics-scope.ts';

export type MonthlyReport = {
	month: string;
	/** The subtree reported on: the chosen node, or the actor's own. */
	orgName: string;
	dashboard: Dashboard;
	assessment: Assessment;
	warnings: { rule: WarningRule; severity: WarningSeverity; count: number }[];
};

/** The month's figures for the county's (or a subtree's) report: the dashboard, the assessment, the warnings raised. */
export async function getMonthlyReport(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<MonthlyReport> {
	authorize(actor, 'statistics:view');
	const { month = monthOf(now), org } = parseInput(monthlyReportSchema, input);
	const filters = { from: month, to: month, org };
	const paths = await statisticsPaths(db, actor, org);
	const nodeId = org ?? actor.orgNodeId;
	const [dashboard, assessment, raised, [node]] = await Promise.all([
		getDashboard(db, actor, filters, now),
		getAssessment(db, actor, filters, now),
		db
			.select({ rule: warnings.rule, severity: warnings.severity, count: count() })
			.from(warnings)
			.where(and(underPaths(warnings.orgPath, paths), ...withinPeriod(warnings.createdAt, filters)))
			.groupBy(warnings.rule, warnings.severity)
			.orderBy(warnings.rule, warnings.severity),
		nodeId ? db.select({ name: orgNodes.name }).from(orgNodes).where(eq(orgNodes.id, nodeId)) : []
	]);
	return { month, orgName: node?.name ?? '', dashboard, assessment, warnings: raised };
}
