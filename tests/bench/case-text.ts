/**
 * Made-up but plausible case text for the benchmark seed: party names drawn
 * the way Chinese names are distributed (a few surnames are very common, given
 * names come from a few hundred characters) and facts composed from phrases
 * per dispute type, so that search terms have realistic frequencies.
 */
import type { DisputeType } from '#shared/cases.ts';

/** A small seeded generator (mulberry32), so that every reseed writes the same names and facts. */
export class Random {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	next(): number {
		this.#state = (this.#state + 0x6d2b79f5) >>> 0;
		let t = this.#state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Early items more often than late ones, the more so the higher `skew` (as with names and words). */
	pickSkewed<T>(items: readonly T[], skew = 2): T {
		return items[Math.floor(items.length * this.next() ** skew)];
	}
}

/** Ordered by how common they are in China. */
const SURNAMES = [
	...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
];
const MALE_GIVEN = [
	...'伟强军勇杰涛明超斌辉刚华平波建国林峰磊鹏海东志文宇浩龙成俊亮飞春生德福贵山义忠宝兴才庆荣金双永长洪新根祥发学友民家正光立顺富安'
];
const FEMALE_GIVEN = [
	...'芳娜敏静丽艳娟霞秀英玲桂兰萍燕红梅琴云莲凤洁琳雪慧婷玉珍香月翠花芬美春菊淑素彩丹晶倩颖小巧爱荷'
];

/** A villager's name; half the people of a village share its few clan surnames. */
export function personName(random: Random, clanSurnames: readonly string[]): string {
	const surname = random.chance(0.5) ? random.pick(clanSurnames) : random.pickSkewed(SURNAMES);
	const pool = random.chance(0.5) ? MALE_GIVEN : FEMALE_GIVEN;
	const char = () => random.pickSkewed(pool, 1.5);
	const given = random.chance(0.3) ? char() : char() + char();
	return surname + given;
}

export function clanSurnamesFor(random: Random): string[] {
	return [random.pickSkewed(SURNAMES), random.pickSkewed(SURNAMES)];
}

/** What a phrase may mention: {A} applicant, {B} respondent, {V} place, {Y} a month, {N} a count, {M} an amount in yuan. */
type Slots = { applicant: string; respondent: string; place: string; month: string };

const OPENINGS = [
	'{A}与{B}系{V}村民，',
	'{A}与{B}是多年的邻居，',
	'申请人{A}反映，',
	'{Y}，',
	'据网格员走访了解，',
	'{V}村民{A}来到调委会称，',
	'{A}与{B}为亲戚关系，'
];

const PHRASES: Record<DisputeType, readonly string[]> = {
	land: [
		'{A}家的承包地与{B}家相邻，双方因地界问题多次发生争执。',
		'{Y}土地确权时，{B}认为{A}多占了约{N}分地。',
		'{B}在界桩附近种植杨树，树根伸进{A}的承包地，影响庄稼生长。',
		'双方对宅基地边界各执一词，{B}擅自砌起了围墙。',
		'{A}称{B}把田埂往自家一侧挪了半米。',
		'村里修路占用了{A}的口粮田，补偿款的分配有争议。',
		'{B}在{A}的责任田里倾倒建筑垃圾。',
		'土地流转合同到期后，{B}未按约定归还土地。',
		'因灌溉水渠改道，{A}家的水田无法正常放水。',
		'山林承包界线不清，双方都在争议地块上砍伐树木。',
		'{B}在机耕道上挖沟，{A}的农机无法下田。'
	],
	neighbour: [
		'{B}家新建房屋的滴水檐伸到了{A}家院内。',
		'{B}家养的狗多次咬伤{A}家的鸡鸭。',
		'{B}在巷道里堆放柴草，堵住了{A}家的出行通道。',
		'{B}家每晚在院子里放音乐，噪音扰民，{A}多次劝说无果。',
		'{B}盖房加高后遮挡了{A}家的采光。',
		'{B}家的化粪池紧挨{A}家水井，气味难闻。',
		'双方因生活污水排放问题多次发生口角。',
		'{B}家装修时震裂了{A}家的墙体。',
		'{A}家门前的排水沟被{B}填平，下雨时院子积水。',
		'两家小孩打架后，双方家长发生推搡。',
		'{B}在公共通道上搭建棚子，{A}认为侵占了公共用地。'
	],
	family: [
		'{A}与{B}系夫妻，婚后感情不和，现已分居{N}个月。',
		'{A}年迈体弱，几个子女在赡养费的分担上意见不一。',
		'{A}的父亲去世后留下三间平房，兄弟姐妹对遗产分割有争议。',
		'{B}长期不支付抚养费，{A}独自抚养孩子。',
		'婆媳关系紧张，{A}要求分家另过。',
		'{A}与{B}离婚时对共同财产的分割协议理解不一。',
		'老人名下的存款被{B}取走，其他子女不满。',
		'兄弟二人对老宅的居住权发生争执。',
		'{B}酒后经常打骂家人，{A}要求其写下保证书。'
	],
	damage_compensation: [
		'{B}驾驶电动三轮车将{A}撞伤，花去医疗费{M}元。',
		'{B}家的牛跑进{A}的麦田，踩坏庄稼约{N}亩。',
		'{B}焚烧秸秆，火势蔓延烧毁了{A}的果树。',
		'{A}在{B}的店门口滑倒骨折，要求赔偿。',
		'{B}喷洒农药时药雾飘到{A}的菜地，造成蔬菜枯死。',
		'{A}家的鱼塘因{B}排放污水，鱼苗大量死亡。',
		'两人酒后发生争吵，{B}将{A}打伤。',
		'{B}倒车时撞坏了{A}家的院门。',
		'{B}家的围墙倒塌，砸坏了{A}停放的摩托车。'
	],
	labour: [
		'{A}在{B}承包的工地上干活{N}个月，工钱一直没有结清。',
		'{B}拖欠{A}等{N}名工人的工资共计{M}元。',
		'{A}在务工期间受伤，雇主{B}只支付了部分医药费。',
		'{A}给{B}家盖房当小工，双方对工钱的计算方式有分歧。',
		'{B}以活没干完为由扣发{A}的工资。',
		'{A}在{B}的养殖场打工，没有签订劳动合同。',
		'采摘季节{A}帮{B}摘果子，约好的日工资没有兑现。',
		'{A}在{B}的砖厂上班，被辞退后要求补发加班费。'
	],
	contract: [
		'{A}于{Y}借给{B}人民币{M}元，有欠条为证，至今未还。',
		'{B}向{A}购买化肥农药，赊欠货款{M}元。',
		'双方签订的鱼塘承包合同到期，对设施的归属有争议。',
		'{A}委托{B}修建猪圈，完工后发现质量问题。',
		'{B}租用{A}的房屋开小卖部，拖欠房租{N}个月。',
		'{A}从{B}处购买的种子发芽率低，造成减产。',
		'双方合伙养殖肉牛，散伙时对利润分配有争议。',
		'{B}收了{A}的定金后反悔，不愿出售农机。',
		'{A}替{B}担保贷款，{B}逾期不还，银行要求{A}代偿。'
	],
	other: [
		'{A}反映{B}在微信群里散布谣言，影响其名誉。',
		'{A}对村民小组集体分红的名单有异议。',
		'{B}占用村集体的晒谷场堆放杂物，{A}等村民不满。',
		'{A}与{B}因祖坟迁移问题发生矛盾。',
		'{A}的快递包裹被{B}误领后拒不归还。',
		'因红白喜事借用场地，双方产生纠纷。',
		'{B}饲养的蜜蜂蜇伤了{A}家的孩子。'
	]
};

const DETAILS = [
	'村委会曾多次组织双方协商，未能达成一致。',
	'网格员上门了解情况后，建议申请人民调解。',
	'双方情绪激动，矛盾有激化的可能。',
	'{A}多次找{B}协商，对方均以各种理由推脱。',
	'{B}表示愿意协商解决，但对金额有异议。',
	'事发后双方曾自行协商，因分歧较大未果。',
	'该纠纷已持续{N}个月，影响邻里和睦。',
	'{B}认为责任在{A}一方，拒绝承担。',
	'附近村民可以证明当时的情况。',
	'{A}提供了照片和聊天记录作为证据。',
	'村民小组长到现场查看过，双方说法不一。',
	'{B}称当时有口头约定，但没有书面材料。'
];

const CLAIMS = [
	'请求{B}赔偿损失{M}元。',
	'请求调解委员会依法调解。',
	'希望通过调解尽快解决此事。',
	'请求{B}恢复原状并赔礼道歉。',
	'要求对方按约定履行义务。',
	'请求{B}支付欠款{M}元。',
	'请求明确双方的边界并签订协议。'
];

function fill(random: Random, phrase: string, slots: Slots): string {
	return phrase.replace(/\{([ABVYNM])\}/g, (_, slot: string) => {
		switch (slot) {
			case 'A':
				return slots.applicant;
			case 'B':
				return slots.respondent;
			case 'V':
				return slots.place;
			case 'Y':
				return slots.month;
			case 'N':
				return String(random.int(2, 12));
			default:
				return String(random.int(3, 800) * 100);
		}
	});
}

/** Facts of 60 to 200 characters: an opening, phrases of the dispute's kind and general ones, and the claim. */
export function caseFacts(random: Random, type: DisputeType, slots: Slots): { facts: string; claims: string } {
	const target = random.int(60, 200);
	const claims = fill(random, random.pick(CLAIMS), slots);
	let facts = fill(random, random.pick(OPENINGS), slots);
	const used = new Set<string>();
	for (let tries = 0; facts.length + claims.length < target && tries < 12; tries++) {
		const template = random.pickSkewed(random.chance(0.65) ? PHRASES[type] : DETAILS);
		const phrase = fill(random, template, slots);
		if (!used.has(template) && facts.length + phrase.length + claims.length <= 200) {
			used.add(template);
			facts += phrase;
		}
	}
	return { facts: facts + claims, claims };
}
