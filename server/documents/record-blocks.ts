import type { AgreementBlock } from '#shared/agreement.ts';
import type { DisputeType } from '#shared/cases.ts';
import type { RecordAttendee, RecordHeader, RecordOutcome } from '#shared/mediation-record.ts';

/** The record is printed in Chinese, as the committee's records are, with times of the committee's zone. */
const TIME_ZONE = 'Asia/Shanghai';

const DISPUTE_TYPES: Record<DisputeType, string> = {
	land: '土地纠纷',
	neighbour: '邻里纠纷',
	family: '婚姻家庭纠纷',
	damage_compensation: '损害赔偿纠纷',
	labour: '劳动争议',
	contract: '合同纠纷',
	other: '其他纠纷'
};
const ROLES: Record<RecordAttendee['role'], string> = {
	party: '当事人',
	mediator: '人民调解员',
	recorder: '记录人',
	legal_expert: '法律顾问',
	observer: '旁听人员'
};
const SIDES = { applicant: '申请人', respondent: '被申请人' } as const;
const PRESENCE = { online: '线上', in_person: '现场' } as const;
const RESULTS: Record<RecordOutcome['result'], string> = {
	agreed: '调解成功，当事人达成协议。',
	failed: '调解不成。',
	adjourned: '本次调解暂告中止，另行安排调解。'
};

const parts = (date: Date) =>
	Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: TIME_ZONE,
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(date)
			.map((part) => [part.type, part.value])
	);
const dateTime = (iso: string) => {
	const p = parts(new Date(iso));
	return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
};
const clock = (iso: string) => {
	const p = parts(new Date(iso));
	return `${p.hour}:${p.minute}`;
};
const sameDay = (a: string, b: string) => dateTime(a).split(' ')[0] === dateTime(b).split(' ')[0];

const line = (text: string): AgreementBlock => ({ prefix: '', text });

function timeOf(header: RecordHeader): string {
	if (!header.startedAt) return `${dateTime(header.scheduledFor)}（预定）`;
	if (!header.endedAt) return `${dateTime(header.startedAt)} 起`;
	const end = sameDay(header.startedAt, header.endedAt) ? clock(header.endedAt) : dateTime(header.endedAt);
	return `${dateTime(header.startedAt)} 至 ${end}`;
}

function placeOf(header: RecordHeader): string {
	const room = '线上调解室（视频调解）';
	if (header.mode === 'online') return room;
	const office = header.place ?? '调解委员会调解室';
	return header.mode === 'hybrid' ? `${office}，及${room}` : office;
}

function attendeeLine(attendee: RecordAttendee): string {
	const role = attendee.side ? SIDES[attendee.side] : ROLES[attendee.role];
	const stays = attendee.stays.map(
		(stay) => `${PRESENCE[stay.presence]} ${clock(stay.joinedAt)}–${stay.leftAt ? clock(stay.leftAt) : ''}`
	);
	return `${attendee.name}（${role}）：${stays.join('；')}`;
}

/**
 * The record's header as printed: the title, time, place, the matter, the mediators and the
 * recorder, and everyone present with the times they came and left.
 */
export function recordHeaderBlocks(header: RecordHeader): AgreementBlock[] {
	const present = header.attendees.map((attendee, index) => ({
		prefix: `${index + 1}. `,
		text: attendeeLine(attendee)
	}));
	return [
		{ prefix: '', text: '人民调解记录', heading: 1 },
		line(`时间：${timeOf(header)}`),
		line(`地点：${placeOf(header)}`),
		line(`事由：${header.caseNumber}，${DISPUTE_TYPES[header.disputeType as DisputeType] ?? header.disputeType}`),
		line(`简要案情：${header.facts}`),
		line(`人民调解员：${header.mediators.join('、') || '—'}`),
		line(`记录人：${header.recorder ?? '—'}`),
		line(`到场人员：${present.length ? '' : '—'}`),
		...present
	];
}

/** The result as printed after the body: agreed, adjourned, or failed with its reason and the parties' next steps; then the reading back. */
export function recordOutcomeBlocks(outcome: RecordOutcome): AgreementBlock[] {
	return [
		{ prefix: '', text: '调解结果', heading: 2 },
		line(RESULTS[outcome.result]),
		...(outcome.reason ? [line(`${outcome.result === 'failed' ? '调解不成的原因' : '说明'}：${outcome.reason}`)] : []),
		...(outcome.nextSteps ? [line(`当事人可以采取的途径：${outcome.nextSteps}`)] : []),
		line('以上记录已向当事人宣读（或交当事人阅读），当事人确认无误后签名。')
	];
}
