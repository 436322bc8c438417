import type { JSONContent } from '@tiptap/core';
import { and, eq, inArray } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { DisputeType } from '#shared/cases.ts';
import type { SessionChoice } from '#shared/notice.ts';
import type { CommitteePosition, OrgKind } from '#shared/orgs.ts';
import type { Actor, Role } from '#shared/roles.ts';
import type { SessionMode } from '#shared/sessions.ts';
import type { App } from '../app.ts';
import { hashPassword } from '../auth/password.ts';
import { applyOnline } from '../cases/apply-online.ts';
import { reassignCase } from '../cases/reassign-case.ts';
import { registerCase } from '../cases/register-case.ts';
import { reportDispute } from '../cases/report-dispute.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { recordOralAgreement } from '../documents/record-oral-agreement.ts';
import { registerAcceptance } from '../documents/register-acceptance.ts';
import { demoSignature } from './demo-signature.ts';
import { updateParty } from '../cases/update-party.ts';
import { caseParties, committees, users } from '../db/schema.ts';
import { noticeForCase } from '../notice/current-notice.ts';
import { recordOnSiteAcknowledgement } from '../notice/record-on-site-acknowledgement.ts';
import { markOfficeAttendance } from '../sessions/mark-office-attendance.ts';
import { startOfficeSession } from '../sessions/run-office-session.ts';
import { scheduleSession } from '../sessions/schedule-session.ts';
import { createCommittee } from '../orgs/create-committee.ts';
import { createOrgNode } from '../orgs/create-org-node.ts';
import { completeSetup } from '../setup/complete-setup.ts';
import { createUser } from '../users/create-user.ts';
import { demoParty, demoPowerOfAttorney } from './demo-parties.ts';
import { heading, paragraph, seedFailedMediation, seedSettledMediation } from './seed-mediation.ts';
import { seedFollowUp } from './seed-follow-up.ts';
import { seedJudicialConfirmation, seedJudicialSignaturesAndRuling } from './seed-judicial-confirmation.ts';
import { seedPerformance, type DemoPerformanceItem } from './seed-performance.ts';

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
	{ role: 'party', username: 'party', displayName: '刘大伟', node: '东村', phone: '13800000005' },
	// The two sides of the case the signing test signs from their own accounts.
	{ role: 'party', username: 'party2', displayName: '周晓梅', node: '东村', phone: '13800000006' },
	{ role: 'party', username: 'party3', displayName: '吴国庆', node: '东村', phone: '13800000007' },
	{
		role: 'mediator',
		username: 'recorder',
		displayName: '孙丽',
		node: '西村',
		committee: '西村人民调解委员会',
		position: 'member',
		phone: '13800000008'
	}
];

type DemoCase = {
	form: {
		disputeType: DisputeType;
		village: string;
		facts: string;
		claims: string;
		amount?: string;
		applicant: string;
		respondent: string;
	};
	/** How it came in, and who brought it: a grid worker or mediator by username. */
	intake:
		{ channel: 'online' } | { channel: 'grid_report'; by: string } | { channel: 'walk_in' | 'referral'; by: string };
	/** The applicant's party account, to show the party's view. */
	partyUser?: string;
	/** The respondent's party account. */
	respondentUser?: string;
	/** An agent the mediator names for the respondent after the steps, with a power of attorney. */
	respondentAgent?: { by: string; name: string; phone: string; scope: 'general' | 'special' };
	/** Handed to another committee by the admin. */
	reassignTo?: string;
	/** Lifecycle steps by a mediator, as the case page would send them; `daysAgo` backdates the step. */
	steps?: { by: string; transition: string; daysAgo?: number; [field: string]: unknown }[];
	/** Settled by word of mouth: the oral agreement its mediator registers (which resolves it). */
	oralAgreement?: { by: string; matter: string; terms: string; performance: string };
	/**
	 * The parties came to the office and acknowledged the rights and duties notice there, signed on
	 * the mediator's device (a walk-in's mediator, by username), each with their choice.
	 */
	acknowledgedOnSite?: { by: string; applicant: SessionChoice; respondent: SessionChoice };
	/** After the steps: a mediation that failed, its record kept by this account, signed by everyone and sealed. */
	failedMediation?: { recorder: string };
	/**
	 * After the steps: a mediation `daysAgo` days ago that settled, its record kept by `recorder`, the
	 * agreement signed by the parties and the mediator and sealed (which resolves the case).
	 */
	settledMediation?: { recorder: string; daysAgo: number; record: JSONContent; agreement: JSONContent };
	/** After the agreement: its performance plan, and how far each item got (see seedPerformance). */
	performance?: DemoPerformanceItem[];
	/** After the agreement: judicial confirmation applied for by both parties and granted by the court. */
	judicialConfirmation?: boolean;
	/** After the agreement: a follow-up visit by phone, recorded. */
	followUp?: boolean;
	/** Last of all: closed by this mediator, which numbers the case file and binds it. */
	closedBy?: string;
	/**
	 * A mediation in the office (线下调解) the mediator is holding now: scheduled an hour ahead with
	 * both parties, started from the case page, the parties marked as come.
	 */
	officeSession?: { by: string; mode: Exclude<SessionMode, 'online'>; place: string };
};

const CASES: DemoCase[] = [
	{
		form: {
			disputeType: 'land',
			village: '东村',
			facts: '申请人与被申请人宅基地相邻，被申请人新建围墙越过原界址约半米，双方多次协商未果。',
			claims: '请求被申请人拆除越界部分围墙，恢复原界址。',
			applicant: '刘大伟',
			respondent: '孙建国'
		},
		intake: { channel: 'online' },
		partyUser: 'party',
		// Accepted 40 days ago: past its 30-day deadline, so the demo shows an overdue case.
		steps: [{ by: 'mediator', transition: 'accept', consent: 'on', daysAgo: 40 }],
		respondentAgent: { by: 'mediator', name: '孙小军', phone: '13600000001', scope: 'general' }
	},
	{
		form: {
			disputeType: 'neighbour',
			village: '东村一组',
			facts: '网格巡查发现两户因排水沟堵塞、雨水倒灌发生争吵，情绪激动。',
			claims: '疏通排水沟，明确日常清理责任。',
			applicant: '周桂兰',
			respondent: '吴长海'
		},
		intake: { channel: 'grid_report', by: 'grid' }
	},
	{
		form: {
			disputeType: 'damage_compensation',
			village: '西村',
			facts: '被申请人饲养的狗咬伤申请人小腿，申请人就医花费医疗费若干。',
			claims: '赔偿医疗费、误工费共计人民币三千二百元。',
			amount: '3200',
			applicant: '郑小红',
			respondent: '王大山'
		},
		intake: { channel: 'walk_in', by: 'mediator2' },
		steps: [
			{ by: 'mediator2', transition: 'accept', consent: 'on', daysAgo: 27 },
			{ by: 'mediator2', transition: 'schedule', scheduledFor: '2026-12-01T09:30' },
			{ by: 'mediator2', transition: 'start' }
		],
		// The respondent wants it closed: the case page tells the mediator so.
		acknowledgedOnSite: { by: 'mediator2', applicant: 'public', respondent: 'closed' }
	},
	{
		form: {
			disputeType: 'family',
			village: '南湾社区',
			facts: '兄妹三人就母亲赡养费用分担产生分歧。',
			claims: '明确每月赡养费分担比例及看护安排。',
			applicant: '何春梅',
			respondent: '何春生'
		},
		intake: { channel: 'online' },
		reassignTo: '青石镇婚姻家庭纠纷调解工作室'
	},
	{
		form: {
			disputeType: 'neighbour',
			village: '东村二组',
			facts: '楼上住户连续多日夜间装修，噪音影响楼下老人休息，双方多次争吵。',
			claims: '晚上八点以后停止施工，赔礼道歉。',
			applicant: '陈桂芳',
			respondent: '林志强'
		},
		intake: { channel: 'walk_in', by: 'mediator' },
		steps: [{ by: 'mediator', transition: 'accept', consent: 'on', daysAgo: 3 }],
		acknowledgedOnSite: { by: 'mediator', applicant: 'public', respondent: 'public' }
	},
	{
		form: {
			disputeType: 'labour',
			village: '东村二组',
			facts: '申请人在被申请人的养殖场务工半年，被申请人拖欠工资八千元。',
			claims: '支付拖欠工资八千元。',
			amount: '8000',
			applicant: '钱小兵',
			respondent: '青石镇冯记生态养殖场'
		},
		intake: { channel: 'referral', by: 'mediator2' },
		steps: [
			{ by: 'mediator', transition: 'accept', consent: 'on', acceptanceSource: 'committee_initiative', daysAgo: 12 },
			{ by: 'mediator', transition: 'schedule', scheduledFor: '2026-11-20T14:00' },
			{ by: 'mediator', transition: 'start' },
			{ by: 'mediator', transition: 'resolve', summary: '被申请人当场支付五千元，余款三千元于月底前付清。' },
			{ by: 'mediator', transition: 'close' }
		]
	},
	{
		form: {
			disputeType: 'contract',
			village: '南湾社区',
			facts: '申请人委托被申请人装修其位于南湾社区的门面房，约定工期六十天，被申请人逾期一个月仍未完工，部分墙面开裂。',
			claims: '完成剩余工程，修复开裂墙面，赔偿逾期损失一千五百元。',
			amount: '1500',
			applicant: '刘大伟',
			respondent: '黄志明'
		},
		intake: { channel: 'online' },
		partyUser: 'party',
		steps: [{ by: 'mediator2', transition: 'accept', consent: 'on', daysAgo: 5 }]
	},
	{
		form: {
			disputeType: 'neighbour',
			village: '东村二组',
			facts: '被申请人家空调外机正对申请人卧室窗户，夜间噪音和热风影响申请人休息，双方多次沟通未果。',
			claims: '移装空调外机，赔偿损失八百元。',
			amount: '800',
			applicant: '周晓梅',
			respondent: '吴国庆'
		},
		intake: { channel: 'online' },
		partyUser: 'party2',
		respondentUser: 'party3',
		steps: [{ by: 'mediator', transition: 'accept', consent: 'on', daysAgo: 2 }]
	},
	{
		form: {
			disputeType: 'land',
			village: '西村一组',
			facts: '被申请人承包的鱼塘扩建后占用申请人责任田约半亩，双方对界址各执一词。',
			claims: '退还被占土地，赔偿两季庄稼损失人民币四千元。',
			amount: '4000',
			applicant: '赵春兰',
			respondent: '钱国华'
		},
		intake: { channel: 'online' },
		steps: [{ by: 'mediator2', transition: 'accept', consent: 'on', daysAgo: 6 }],
		failedMediation: { recorder: 'recorder' }
	},
	{
		form: {
			disputeType: 'family',
			village: '东村一组',
			facts: '申请人年过七旬，三个子女对赡养费分担有分歧，被申请人近半年未支付赡养费。',
			claims: '被申请人每月支付赡养费五百元，并轮流照料申请人生活。',
			amount: '3000',
			applicant: '郑桂兰',
			respondent: '郑国强'
		},
		intake: { channel: 'walk_in', by: 'mediator' },
		steps: [{ by: 'mediator', transition: 'accept', consent: 'on', daysAgo: 1 }],
		officeSession: { by: 'mediator', mode: 'in_person', place: '东村人民调解委员会调解室（村委会二楼）' }
	},
	{
		form: {
			disputeType: 'neighbour',
			village: '东村一组',
			facts: '被申请人家的鸡常到申请人菜地啄食菜苗，申请人多次提醒无果，双方在村口发生口角。',
			claims: '被申请人圈养家禽，赔偿菜苗损失二百元。',
			amount: '200',
			applicant: '孙桂兰',
			respondent: '马德福'
		},
		intake: { channel: 'walk_in', by: 'mediator' },
		steps: [{ by: 'mediator', transition: 'accept', consent: 'on', daysAgo: 1 }],
		oralAgreement: {
			by: 'mediator',
			matter: '被申请人家散养的鸡啄食申请人菜地菜苗引发的邻里纠纷。',
			terms:
				'一、马德福自即日起将家禽圈养，不再放入孙桂兰菜地；二、马德福赔偿孙桂兰菜苗损失一百五十元（大写：壹佰伍拾元整）；三、双方互不追究口角之事。',
			performance:
				'马德福于当日在东村村委会调解室当面以现金向孙桂兰支付一百五十元；圈舍于三日内在马德福家后院搭好，由村调委会回访查看。'
		}
	},
	{
		form: {
			disputeType: 'damage_compensation',
			village: '西村一组',
			facts:
				'2026年10月12日，被申请人驾驶农用三轮车倒车时撞塌申请人家院墙约六米，并压坏院内两棵桃树。双方对修复方式和赔偿数额协商未果。',
			claims: '请求被申请人重砌院墙，赔偿桃树损失及清理费用共计人民币八千元。',
			amount: '8000',
			applicant: '李秀英',
			respondent: '陈志强'
		},
		intake: { channel: 'online' },
		steps: [{ by: 'mediator2', transition: 'accept', consent: 'on', daysAgo: 20 }],
		acknowledgedOnSite: { by: 'mediator2', applicant: 'public', respondent: 'public' },
		settledMediation: {
			recorder: 'recorder',
			daysAgo: 1,
			record: {
				type: 'doc',
				content: [
					heading('一、告知当事人权利义务'),
					paragraph('调解员已告知当事人在人民调解活动中享有的权利和承担的义务，当事人表示已经知悉，同意调解。'),
					heading('二、申请人陈述'),
					paragraph('被申请人倒车撞塌我家院墙约六米，压坏两棵结果的桃树，要求重砌院墙并赔偿八千元。'),
					heading('三、被申请人陈述'),
					paragraph('撞墙属实，愿意赔偿，但八千元偏高；院墙可以由我请人重砌。'),
					heading('四、调查核实情况'),
					paragraph('调解员到现场查看，院墙倒塌约六米，两棵桃树主干折断；村委会出具了情况说明。'),
					heading('五、调解情况'),
					paragraph('经调解员释法说理，双方同意：院墙由被申请人负责重砌，桃树及清理损失赔偿五千元，分两期支付。')
				]
			},
			agreement: {
				type: 'doc',
				content: [
					heading('纠纷主要事实、争议事项'),
					paragraph(
						'2026年10月12日，陈志强驾驶农用三轮车倒车时撞塌李秀英家院墙约六米，并压坏院内两棵桃树。双方对修复方式和赔偿数额发生争议。'
					),
					heading('经调解，自愿达成如下协议'),
					paragraph(
						'一、陈志强于协议签订之日起七日内负责按原样重砌李秀英家院墙（长约六米、高一点八米，砖混结构），费用由陈志强承担。'
					),
					paragraph(
						'二、陈志强赔偿李秀英桃树损失及清理费用共计人民币伍仟元整（5,000元），分两期支付：协议签订之日支付贰仟元，协议签订之日起三十日内支付叁仟元，均以银行转账方式支付至李秀英尾号0386的账户。'
					),
					paragraph('三、本协议履行完毕后，双方就此事再无其他争议。'),
					heading('履行方式、地点、期限'),
					paragraph('院墙在李秀英家原址重砌；款项以银行转账支付；期限如上。'),
					paragraph('各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。')
				]
			}
		},
		performance: [
			{
				kind: 'payment',
				description: '赔偿桃树损失及清理费用第一期',
				amount: '2000',
				dueInDays: 0,
				place: '银行转账至李秀英尾号0386的账户',
				responsible: '陈志强',
				done: 'confirmed'
			},
			{
				kind: 'act',
				description: '按原样重砌院墙（长约六米、高一点八米，砖混结构）',
				dueInDays: 7,
				place: '李秀英家（西村一组2号）',
				responsible: '陈志强',
				done: 'confirmed_in_office'
			},
			{
				kind: 'payment',
				description: '赔偿桃树损失及清理费用第二期',
				amount: '3000',
				dueInDays: 30,
				place: '银行转账至李秀英尾号0386的账户',
				responsible: '陈志强',
				done: 'confirmed'
			}
		],
		judicialConfirmation: true,
		followUp: true,
		closedBy: 'mediator2'
	}
];

/**
 * Seeds a demo town on an empty instance through the same services the pages
 * use, and returns the demo log-ins. Demo accounts keep DEMO_PASSWORD and are
 * not asked to change it.
 */
export async function seedDemo(app: App): Promise<DemoLogin[]> {
	const { host, port } = app.config;
	const { townId } = await completeSetup(app, {
		// Where the demo is opened: this machine, on the port it serves (ORIGIN, when set, wins anyway).
		publicOrigin: `http://${['0.0.0.0', '::'].includes(host) ? 'localhost' : host}:${port}`,
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
	const admin = actorFromRow(adminRow);

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

	const actors = new Map((await app.db.select().from(users)).map((row) => [row.username, actorFromRow(row)]));
	for (const demo of CASES) await seedCase(app, demo, { admin, actors, nodeIds, committeeIds });

	return [
		{ role: 'admin', username: 'admin', displayName: '王主任' },
		...USERS.map(({ role, username, displayName }) => ({ role, username, displayName }))
	];
}

function actorFromRow(row: typeof users.$inferSelect): Actor {
	const { id, username, displayName, role, orgNodeId } = row;
	return { id, username, displayName, role, orgNodeId, mustChangePassword: false };
}

type SeedContext = {
	admin: Actor;
	actors: Map<string, Actor>;
	nodeIds: Map<string, string>;
	committeeIds: Map<string, string>;
};

/** One demo case through the intake channel and the lifecycle steps a real one would take. */
async function seedCase(app: App, demo: DemoCase, { admin, actors, nodeIds, committeeIds }: SeedContext) {
	const { form } = demo;
	const intake = {
		disputeType: form.disputeType,
		facts: form.facts,
		claims: form.claims,
		amount: form.amount,
		villageId: nodeIds.get(form.village),
		// Each party a number of their own: the early-warning rules would take one shared number for one person.
		applicant: demoParty(form.applicant, `139${String(CASES.indexOf(demo) + 1).padStart(8, '0')}`),
		respondents: [demoParty(form.respondent, `137${String(CASES.indexOf(demo) + 1).padStart(8, '0')}`)]
	};
	const { caseId } =
		demo.intake.channel === 'online'
			? await applyOnline(app, intake, [], null)
			: demo.intake.channel === 'grid_report'
				? await reportDispute(app, actors.get(demo.intake.by)!, intake, [], null)
				: await registerCase(app, actors.get(demo.intake.by)!, { ...intake, channel: demo.intake.channel }, [], null);
	for (const [side, user] of [
		['applicant', demo.partyUser],
		['respondent', demo.respondentUser]
	] as const) {
		if (!user) continue;
		await app.db
			.update(caseParties)
			.set({ userId: actors.get(user)!.id })
			.where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, side)));
	}
	if (demo.reassignTo)
		await reassignCase(
			app,
			admin,
			{ caseId, committeeId: committeeIds.get(demo.reassignTo), reason: '婚姻家庭纠纷，交专业调解工作室' },
			null
		);
	for (const { by, daysAgo = 0, ...step } of demo.steps ?? [])
		await transitionCase(app, actors.get(by)!, { caseId, ...step }, null, new Date(Date.now() - daysAgo * 86_400_000));
	if (demo.respondentAgent) {
		const { by, ...agent } = demo.respondentAgent;
		const [respondent] = await app.db
			.select({ id: caseParties.id })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'respondent')));
		const edit = { caseId, partyId: respondent.id, party: intake.respondents[0], agent };
		await updateParty(app, actors.get(by)!, edit, [await demoPowerOfAttorney()], null);
	}
	if (demo.acknowledgedOnSite) await acknowledgeOnSite(app, caseId, demo.acknowledgedOnSite, actors);
	if (demo.failedMediation)
		await seedFailedMediation(app, {
			caseId,
			mediator: actors.get(demo.steps![0].by)!,
			recorder: actors.get(demo.failedMediation.recorder)!,
			password: DEMO_PASSWORD
		});
	if (demo.settledMediation) {
		const { recorder, ...settled } = demo.settledMediation;
		const mediator = actors.get(demo.steps![0].by)!;
		const { pins } = await seedSettledMediation(app, {
			caseId,
			mediator,
			recorder: actors.get(recorder)!,
			password: DEMO_PASSWORD,
			...settled
		});
		if (demo.judicialConfirmation) {
			await seedJudicialConfirmation(app, mediator, caseId);
			await seedJudicialSignaturesAndRuling(app, mediator, caseId, pins);
		}
	}
	if (demo.officeSession) await holdInOffice(app, caseId, actors.get(demo.officeSession.by)!, demo.officeSession);
	if (demo.oralAgreement) {
		const { by, ...fields } = demo.oralAgreement;
		const parties = await app.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId));
		await recordOralAgreement(
			app,
			actors.get(by)!,
			{
				...fields,
				caseId,
				partyIds: parties.map((party) => party.id),
				reachedOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
				password: DEMO_PASSWORD
			},
			demoSignature(),
			{ ip: null, userAgent: null }
		);
	}
	if (demo.performance) await seedPerformance(app, caseId, actors.get(demo.steps![0].by)!, demo.performance);
	if (demo.followUp) {
		const parties = await app.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId));
		const kase = { id: caseId, partyIds: parties.map((party) => party.id) };
		await seedFollowUp(app, actors.get(demo.steps![0].by)!, DEMO_PASSWORD, kase);
	}
	if (demo.closedBy) {
		const mediator = actors.get(demo.closedBy)!;
		// Where accepting does not seal the register (ACCEPTANCE_REGISTERS=on_demand), the file still has one.
		if (app.config.acceptanceRegisters === 'on_demand')
			await registerAcceptance(app, mediator, { caseId, consent: 'on' }, null);
		await app.registers.settled();
		await transitionCase(app, mediator, { caseId, transition: 'close' }, null);
	}
}

/** Each party's on-site acknowledgement of the notice, with a stand-in for a drawn signature: a QR code of their name. */
async function acknowledgeOnSite(
	app: App,
	caseId: string,
	{ by, ...choices }: NonNullable<DemoCase['acknowledgedOnSite']>,
	actors: Map<string, Actor>
) {
	const { sha256 } = await noticeForCase(app.db, caseId);
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	for (const party of parties) {
		const signature = await QRCode.toBuffer(party.name, { type: 'png', margin: 1, scale: 4 });
		const input = {
			caseId,
			partyId: party.id,
			sha256,
			sessionChoice: choices[party.side],
			signature: signature.toString('base64')
		};
		await recordOnSiteAcknowledgement(app, actors.get(by)!, input, null);
	}
}

/** The case's mediation in the office, under way: scheduled, started, both parties marked present. */
async function holdInOffice(
	app: App,
	caseId: string,
	mediator: Actor,
	{ mode, place }: DemoCase['officeSession'] & {}
) {
	const parties = await app.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId));
	const { sessionId, invitations } = await scheduleSession(
		app,
		mediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 3_600_000).toISOString().slice(0, 16),
			utcOffset: '0',
			mode,
			place,
			title: '赡养费调解',
			partyIds: parties.map((party) => party.id)
		},
		null
	);
	await startOfficeSession(app, mediator, { caseId, sessionId }, null);
	for (const { participantId } of invitations)
		await markOfficeAttendance(app, mediator, { caseId, participantId, present: 'true' }, null);
}
