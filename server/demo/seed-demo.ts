import { eq, inArray } from 'drizzle-orm';
import type { CaseChannel, CaseStatus, DisputeType } from '#shared/cases.ts';
import type { CommitteePosition, OrgKind } from '#shared/orgs.ts';
import type { Actor, Role } from '#shared/roles.ts';
import type { App } from '../app.ts';
import { hashPassword } from '../auth/password.ts';
import { caseMediators, caseParties, cases, committees, users } from '../db/schema.ts';
import { createCommittee } from '../orgs/create-committee.ts';
import { createOrgNode } from '../orgs/create-org-node.ts';
import { completeSetup } from '../setup/complete-setup.ts';
import { createUser } from '../users/create-user.ts';

/** Every demo account shares this password, so the demo can be tried at once. Never seed a real instance. */
export const DEMO_PASSWORD = 'tiaojie-demo';

export type DemoLogin = { role: Role; username: string; displayName: string };

type DemoNode = { name: string; kind: OrgKind; code?: string; committee?: string; children?: DemoNode[] };

const TREE: DemoNode[] = [
	{
		name: '东村',
		kind: 'village',
		committee: '东村人民调解委员会',
		children: [
			{ name: '东村一组', kind: 'group' },
			{ name: '东村二组', kind: 'group' }
		]
	},
	{ name: '西村', kind: 'village', committee: '西村人民调解委员会', children: [{ name: '西村一组', kind: 'group' }] },
	{ name: '南湾社区', kind: 'community', committee: '南湾社区人民调解委员会' },
	{ name: '青石镇婚姻家庭纠纷调解工作室', kind: 'mediation_body', committee: '青石镇婚姻家庭纠纷调解工作室' },
	{ name: '青石镇法律顾问库', kind: 'expert_roster' }
];

type DemoUser = DemoLogin & { node: string; committee?: string; position?: CommitteePosition; phone: string };

const USERS: DemoUser[] = [
	{
		role: 'mediator',
		username: 'mediator',
		displayName: '李明华',
		node: '东村',
		committee: '东村人民调解委员会',
		position: 'head',
		phone: '13800000001'
	},
	{
		role: 'mediator',
		username: 'mediator2',
		displayName: '张秀英',
		node: '青石镇',
		committee: '青石镇人民调解委员会',
		position: 'member',
		phone: '13800000002'
	},
	{ role: 'legal_expert', username: 'expert', displayName: '陈律师', node: '青石镇法律顾问库', phone: '13800000003' },
	{ role: 'grid_worker', username: 'grid', displayName: '赵网格', node: '东村一组', phone: '13800000004' },
	{ role: 'party', username: 'party', displayName: '刘大伟', node: '东村', phone: '13800000005' }
];

type DemoCase = {
	type: DisputeType;
	status: CaseStatus;
	channel: CaseChannel;
	village: string;
	committee: string;
	facts: string;
	claims: string;
	amountYuan?: number;
	parties: [string, string];
	partyUser?: string;
	reporter?: string;
	mediator?: string;
};

const CASES: DemoCase[] = [
	{
		type: 'land',
		status: 'accepted',
		channel: 'online',
		village: '东村',
		committee: '东村人民调解委员会',
		facts: '申请人与被申请人宅基地相邻，被申请人新建围墙越过原界址约半米，双方多次协商未果。',
		claims: '请求被申请人拆除越界部分围墙，恢复原界址。',
		parties: ['刘大伟', '孙建国'],
		partyUser: 'party',
		mediator: 'mediator'
	},
	{
		type: 'neighbour',
		status: 'submitted',
		channel: 'grid_report',
		village: '东村',
		committee: '东村人民调解委员会',
		facts: '网格巡查发现两户因排水沟堵塞、雨水倒灌发生争吵，情绪激动。',
		claims: '疏通排水沟，明确日常清理责任。',
		parties: ['周桂兰', '吴长海'],
		reporter: 'grid'
	},
	{
		type: 'damage_compensation',
		status: 'in_mediation',
		channel: 'walk_in',
		village: '西村',
		committee: '西村人民调解委员会',
		facts: '被申请人饲养的狗咬伤申请人小腿，申请人就医花费医疗费若干。',
		claims: '赔偿医疗费、误工费共计人民币三千二百元。',
		amountYuan: 3200,
		parties: ['郑小红', '王大山']
	},
	{
		type: 'family',
		status: 'resolved',
		channel: 'referral',
		village: '南湾社区',
		committee: '青石镇婚姻家庭纠纷调解工作室',
		facts: '兄妹三人就母亲赡养费用分担产生分歧。',
		claims: '明确每月赡养费分担比例及看护安排。',
		parties: ['何春梅', '何春生'],
		mediator: 'mediator2'
	}
];

/**
 * Seeds a demo town on an empty instance through the same services the pages
 * use, and returns the demo log-ins. Demo accounts keep DEMO_PASSWORD and are
 * not asked to change it.
 */
export async function seedDemo(app: App): Promise<DemoLogin[]> {
	const { townId } = await completeSetup(app, {
		countyName: '示范县',
		townName: '青石镇',
		townCode: 'QSZ',
		committeeName: '青石镇人民调解委员会',
		username: 'admin',
		displayName: '王主任',
		password: DEMO_PASSWORD,
		passwordConfirm: DEMO_PASSWORD
	});
	const [adminRow] = await app.db.select().from(users).where(eq(users.username, 'admin'));
	const admin: Actor = {
		id: adminRow.id,
		username: adminRow.username,
		displayName: adminRow.displayName,
		role: adminRow.role,
		orgNodeId: adminRow.orgNodeId,
		mustChangePassword: false
	};

	const nodeIds = new Map<string, string>([['青石镇', townId]]);
	const addNodes = async (parentId: string, nodes: DemoNode[]) => {
		for (const node of nodes) {
			const created = await createOrgNode(app, admin, { parentId, kind: node.kind, name: node.name, code: node.code });
			nodeIds.set(node.name, created.id);
			if (node.committee) await createCommittee(app, admin, { orgNodeId: created.id, name: node.committee });
			await addNodes(created.id, node.children ?? []);
		}
	};
	await addNodes(townId, TREE);
	const committeeIds = new Map((await app.db.select().from(committees)).map((c) => [c.name, c.id]));

	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const userIds = new Map<string, string>();
	for (const user of USERS) {
		const { userId } = await createUser(app, admin, {
			username: user.username,
			displayName: user.displayName,
			phone: user.phone,
			role: user.role,
			orgNodeId: nodeIds.get(user.node),
			committeeId: user.committee ? committeeIds.get(user.committee) : undefined,
			position: user.position
		});
		userIds.set(user.username, userId);
	}
	await app.db
		.update(users)
		.set({ passwordHash, mustChangePassword: false })
		.where(inArray(users.id, [...userIds.values()]));

	const year = new Date().getFullYear();
	for (const [index, demo] of CASES.entries()) {
		const [row] = await app.db
			.insert(cases)
			.values({
				number: `${year}-QSZ-${String(index + 1).padStart(6, '0')}`,
				disputeType: demo.type,
				status: demo.status,
				channel: demo.channel,
				facts: demo.facts,
				claims: demo.claims,
				amountCents: demo.amountYuan ? demo.amountYuan * 100 : null,
				villageId: nodeIds.get(demo.village),
				committeeId: committeeIds.get(demo.committee),
				reporterId: demo.reporter ? userIds.get(demo.reporter) : null
			})
			.returning({ id: cases.id });
		const [applicant, respondent] = demo.parties;
		await app.db.insert(caseParties).values([
			{
				caseId: row.id,
				side: 'applicant',
				name: applicant,
				userId: demo.partyUser ? userIds.get(demo.partyUser) : null
			},
			{ caseId: row.id, side: 'respondent', name: respondent }
		]);
		if (demo.mediator)
			await app.db.insert(caseMediators).values({ caseId: row.id, userId: userIds.get(demo.mediator)! });
	}

	return [
		{ role: 'admin', username: 'admin', displayName: '王主任' },
		...USERS.map(({ role, username, displayName }) => ({ role, username, displayName }))
	];
}
