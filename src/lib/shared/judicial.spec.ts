import { describe, expect, it } from 'vitest';
import { flagClauses, judicialClock, nextCourtSteps, type CourtAnswer } from './judicial.ts';

const flagsOf = (clause: string) => flagClauses(clause)[0]?.flags ?? [];

describe('the rules over an agreement\u2019s clauses', () => {
	it.each([
		['1. 双方自愿离婚，婚生子王小明由女方抚养。', 'marriage'],
		['2. 双方同意于2027年1月10日前到民政部门办理离婚登记。', 'marriage'],
		['3. 双方确认婚姻关系自本协议签订之日起解除。', 'marriage'],
		['1. 张三同意与李四复婚。', 'marriage'],
		['2. 王某自愿将其子送养给李某，双方解除收养关系。', 'adoption'],
		['3. 确认李小红与王建国之间不存在亲子关系。', 'kinship'],
		['4. 王大与其子王二断绝父子关系，互不来往。', 'kinship'],
		['5. 变更王小明的监护人为其祖母。', 'kinship'],
		['6. 李某的户口于2027年3月前迁出张某家。', 'household_registration'],
		['7. 争议宅基地的使用权归张三所有。', 'title'],
		['8. 东村3组与4组交界处的林地确权给3组集体。', 'title'],
		['9. 该房屋所有权归被申请人。', 'title']
	])('flags %s as %s', (clause, flag) => {
		expect(flagsOf(clause)).toContain(flag);
	});

	it.each([
		// Money that follows from family ties is a civil obligation the court confirms.
		'1. 王建国每月10日前向其母亲支付赡养费800元，至其母亲去世时止。',
		'2. 双方离婚后，婚生子王小明由女方抚养，男方每月支付抚养费1500元至其年满十八周岁。',
		'3. 女方于2026年12月31日前返还彩礼人民币50000元。',
		'4. 男方每月第一个周六可探望孩子一次，女方应予协助。',
		// The ordinary clauses of a neighbours' quarrel or a loan.
		'5. 被申请人于2026年12月31日前向申请人支付房屋修缮费用人民币12000元。',
		'6. 被申请人自行拆除排水沟上的砌墙，恢复排水沟原状。',
		'7. 双方以现存界桩为界，各自管理，互不侵犯。',
		'8. 借款本金人民币30000元及利息，于2027年6月30日前分两次还清。',
		'9. 土地承包经营权流转期限届满后，乙方将土地交还甲方。',
		// What every agreement of the built-in template says.
		'各方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。'
	])('does not flag %s', (clause) => {
		expect(flagClauses(clause)).toEqual([]);
	});

	it('gives each flagged line with its place in the text', () => {
		const text = [
			'人民调解协议书',
			'1. 男方支付女方抚养费每月1000元。',
			'2. 双方自愿离婚。',
			'',
			'3. 户口迁回原籍。'
		].join('\n');
		expect(flagClauses(text)).toEqual([
			{ line: 2, text: '2. 双方自愿离婚。', flags: ['marriage'] },
			{ line: 4, text: '3. 户口迁回原籍。', flags: ['household_registration'] }
		]);
	});
});

describe('the 30-day clock', () => {
	// Sealed at 23:30 in Shanghai on 1 December: the day is Shanghai's, not UTC's (15:30Z).
	const sealed = new Date('2026-12-01T15:30:00Z');
	const on = (date: string, time = '10:00:00') => new Date(`${date}T${time}+08:00`);

	it('counts calendar days in Shanghai from the day the agreement took effect', () => {
		expect(judicialClock(sealed, on('2026-12-01', '23:59:00'))).toMatchObject({
			effectiveOn: '2026-12-01',
			day: 0,
			daysLeft: 30,
			lastDay: '2026-12-31',
			state: 'open'
		});
		expect(judicialClock(sealed, on('2026-12-02', '00:01:00'))).toMatchObject({ day: 1, daysLeft: 29 });
	});

	it('warns from day 20 and closes after day 30', () => {
		expect(judicialClock(sealed, on('2026-12-20')).state).toBe('open');
		expect(judicialClock(sealed, on('2026-12-21')).state).toBe('near');
		expect(judicialClock(sealed, on('2026-12-31', '23:59:59'))).toMatchObject({ day: 30, daysLeft: 0, state: 'near' });
		expect(judicialClock(sealed, on('2027-01-01', '00:00:00'))).toMatchObject({ day: 31, state: 'closed' });
	});
});

describe('the court\u2019s answer', () => {
	const none: CourtAnswer = {
		filedOn: null,
		accepted: null,
		acceptanceOn: null,
		ruling: null,
		rulingOn: null,
		rulingNumber: null,
		rulingFile: null
	};
	it('goes filed, then accepted or not, then a ruling on an accepted one', () => {
		expect(nextCourtSteps(none)).toEqual(['filed']);
		const filed = { ...none, filedOn: '2026-12-10' };
		expect(nextCourtSteps(filed)).toEqual(['accepted', 'not_accepted']);
		expect(nextCourtSteps({ ...filed, accepted: true, acceptanceOn: '2026-12-11' })).toEqual(['confirmed', 'refused']);
		expect(nextCourtSteps({ ...filed, accepted: false, acceptanceOn: '2026-12-11' })).toEqual([]);
		expect(
			nextCourtSteps({
				...filed,
				accepted: true,
				acceptanceOn: '2026-12-11',
				ruling: 'confirmed',
				rulingOn: '2026-12-20'
			})
		).toEqual([]);
	});
});
