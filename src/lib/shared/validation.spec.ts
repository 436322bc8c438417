import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { creditCode, residentIdNumber } from '../../../tests/support/identity-numbers.ts';
import {
	caseChainLookupSchema,
	caseIntakeSchema,
	caseListSchema,
	caseTransitionSchema,
	committeeDeadlineSchema,
	fieldErrorsOf,
	joinPinSchema,
	onlineApplicationSchema,
	partyUpdateSchema,
	scheduleSessionSchema,
	setupSchema
} from './validation.ts';

/** The field errors a schema reports for the input, or the parsed value when it accepts it. */
function check<S extends z.ZodType>(schema: S, input: unknown) {
	const result = schema.safeParse(input);
	return result.success ? { value: result.data } : { errors: fieldErrorsOf(result.error) };
}

const CASE = '00000000-0000-4000-8000-000000000001';
const VILLAGE = '00000000-0000-4000-8000-000000000002';
const PARTY = '00000000-0000-4000-8000-000000000003';
const EXPERT = '00000000-0000-4000-8000-000000000004';

const intake = {
	disputeType: 'land',
	facts: '两家为宅基地边界发生争执，已持续半年。',
	claims: '确认边界',
	villageId: VILLAGE,
	applicant: { name: '张三', phone: '13800000000' },
	respondents: [{ name: '李四' }]
};
const setup = {
	publicOrigin: 'https://tiaojie.example.cn',
	townName: '青山镇',
	committeeName: '青山镇人民调解委员会',
	townCode: 'QSZ',
	username: 'admin',
	displayName: '管理员',
	password: 'correct horse',
	passwordConfirm: 'correct horse'
};
const schedule = {
	caseId: CASE,
	kind: 'mediation',
	scheduledFor: '2026-12-01T09:30',
	partyIds: [PARTY]
};

describe('setupSchema', () => {
	it('accepts a bare web origin, and keeps it without a trailing slash', () => {
		expect(check(setupSchema, { ...setup, publicOrigin: 'https://tiaojie.example.cn/' })).toMatchObject({
			value: { publicOrigin: 'https://tiaojie.example.cn' }
		});
	});

	it('refuses an origin with a path, a town code in lower case, and passwords that differ', () => {
		expect(check(setupSchema, { ...setup, publicOrigin: 'https://tiaojie.example.cn/app', townCode: 'qsz' })).toEqual({
			errors: { publicOrigin: ['invalid'], townCode: ['invalid'] }
		});
		expect(check(setupSchema, { ...setup, passwordConfirm: 'another horse' })).toEqual({
			errors: { passwordConfirm: ['mismatch'] }
		});
	});
});

describe('caseIntakeSchema', () => {
	it('trims text and keeps an amount in yuan as whole fen', () => {
		expect(check(caseIntakeSchema, { ...intake, claims: '  确认边界  ', amount: '1200.50' })).toMatchObject({
			value: { claims: '确认边界', amount: 120050 }
		});
		expect(check(caseIntakeSchema, { ...intake, amount: '' })).toMatchObject({ value: { amount: undefined } });
	});

	it('names each field wrong, with one error for an empty one', () => {
		expect(
			check(caseIntakeSchema, {
				...intake,
				disputeType: '',
				facts: ' ',
				amount: '12.345',
				respondents: [],
				applicant: { name: '张三', phone: 'call me' }
			})
		).toEqual({
			errors: {
				disputeType: ['required'],
				facts: ['required'],
				amount: ['invalid'],
				respondents: ['required'],
				'applicant.phone': ['not_a_phone']
			}
		});
		expect(check(caseIntakeSchema, { ...intake, facts: '太短', disputeType: 'weather' })).toEqual({
			errors: { facts: ['too_short'], disputeType: ['invalid'] }
		});
	});

	it('asks an online applicant for a phone number', () => {
		const { phone: _, ...applicant } = intake.applicant;
		expect(check(caseIntakeSchema, { ...intake, applicant })).toHaveProperty('value');
		expect(check(onlineApplicationSchema, { ...intake, applicant })).toEqual({
			errors: { 'applicant.phone': ['required'] }
		});
	});
});

describe('party details', () => {
	const withApplicant = (applicant: Record<string, unknown>) =>
		check(caseIntakeSchema, { ...intake, applicant: { name: '张三', ...applicant } });
	const id = residentIdNumber({ birthDate: '1980-05-01', sex: 'female' });

	it("fills in the birth date and sex from a resident ID number, and keeps only a person's details", () => {
		expect(
			withApplicant({ idNumber: id.toLowerCase(), creditCode: creditCode(), phone: '138 0013 8000' })
		).toMatchObject({
			value: {
				applicant: {
					kind: 'person',
					idType: 'resident_id',
					idNumber: id,
					birthDate: '1980-05-01',
					gender: 'female',
					creditCode: null,
					phone: '13800138000'
				}
			}
		});
	});

	it('refuses a wrong check character, and a birth date or sex that the number contradicts', () => {
		const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
		expect(withApplicant({ idNumber: wrongCheck })).toEqual({ errors: { 'applicant.idNumber': ['check_character'] } });
		expect(withApplicant({ idNumber: id, birthDate: '1980-05-02', gender: 'male' })).toEqual({
			errors: { 'applicant.birthDate': ['not_as_id_number'], 'applicant.gender': ['not_as_id_number'] }
		});
		expect(withApplicant({ idNumber: residentIdNumber({ birthDate: '1980-02-30' }) })).toEqual({
			errors: { 'applicant.idNumber': ['invalid'] }
		});
		expect(withApplicant({ idNumber: '11010519800501' })).toEqual({ errors: { 'applicant.idNumber': ['invalid'] } });
		expect(withApplicant({ birthDate: '1980-02-30', ethnicity: '57' })).toEqual({
			errors: { 'applicant.birthDate': ['invalid'], 'applicant.ethnicity': ['invalid'] }
		});
	});

	it('reports a wrong ID number together with the other wrong fields', () => {
		const wrongCheck = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
		expect(withApplicant({ phone: '12345', ethnicity: '99', idNumber: wrongCheck })).toEqual({
			errors: {
				'applicant.phone': ['not_a_phone'],
				'applicant.ethnicity': ['invalid'],
				'applicant.idNumber': ['check_character']
			}
		});
		expect(check(caseIntakeSchema, { ...intake, applicant: undefined })).toEqual({
			errors: { applicant: ['invalid'] }
		});
	});

	it('checks a passport for its shape only', () => {
		expect(withApplicant({ idType: 'passport', idNumber: 'e12345678' })).toMatchObject({
			value: { applicant: { idType: 'passport', idNumber: 'E12345678', birthDate: null } }
		});
		expect(withApplicant({ idType: 'passport', idNumber: 'E-123' })).toEqual({
			errors: { 'applicant.idNumber': ['invalid'] }
		});
	});

	it("checks an organisation's credit code, and keeps only an organisation's details", () => {
		const organisation = { kind: 'organisation', name: '青山建材厂', representative: '王厂长', gender: 'male' };
		expect(withApplicant({ ...organisation, creditCode: creditCode().toLowerCase() })).toMatchObject({
			value: {
				applicant: {
					kind: 'organisation',
					creditCode: creditCode(),
					representative: '王厂长',
					representativeRole: 'legal_representative',
					gender: null
				}
			}
		});
		expect(withApplicant({ ...organisation, creditCode: '91350100M000100Y44' })).toEqual({
			errors: { 'applicant.creditCode': ['check_character'] }
		});
	});

	it('wants a mainland phone number', () => {
		expect(withApplicant({ phone: '12345' })).toEqual({ errors: { 'applicant.phone': ['not_a_phone'] } });
		expect(withApplicant({ phone: '0571-87654321' })).toMatchObject({
			value: { applicant: { phone: '0571-87654321' } }
		});
	});

	it("asks the mediator's edit for the agent's authority, and reads an agent left unnamed as none", () => {
		const edit = { caseId: CASE, partyId: PARTY, party: { name: '张三' } };
		expect(check(partyUpdateSchema, { ...edit, agent: { name: '李律师' } })).toEqual({
			errors: { 'agent.scope': ['required'] }
		});
		expect(check(partyUpdateSchema, { ...edit, agent: { name: '', scope: 'general' } })).toMatchObject({
			value: { agent: null }
		});
		expect(check(partyUpdateSchema, edit)).toMatchObject({ value: { agent: null, party: { name: '张三' } } });
	});
});

describe('caseTransitionSchema', () => {
	it('asks each transition for what it needs', () => {
		// Mediation is voluntary: accepting confirms the parties agreed to it.
		expect(check(caseTransitionSchema, { transition: 'accept' })).toEqual({ errors: { consent: ['required'] } });
		expect(check(caseTransitionSchema, { transition: 'accept', consent: 'on' })).toEqual({
			value: { transition: 'accept', consent: 'on' }
		});
		expect(check(caseTransitionSchema, { transition: 'reject' })).toEqual({ errors: { reason: ['required'] } });
		expect(check(caseTransitionSchema, { transition: 'fail', reason: '分歧过大', referralTarget: 'moon' })).toEqual({
			errors: { referralTarget: ['invalid'] }
		});
		expect(check(caseTransitionSchema, { transition: 'schedule', scheduledFor: 'tomorrow' })).toEqual({
			errors: { scheduledFor: ['invalid'] }
		});
	});

	it('refuses a transition the lifecycle does not know', () => {
		expect(check(caseTransitionSchema, { transition: 'fly' })).toEqual({ errors: { transition: ['invalid'] } });
	});
});

describe('scheduleSessionSchema', () => {
	it('takes observers one a line, and no offset when the browser sent none', () => {
		expect(check(scheduleSessionSchema, { ...schedule, observers: ' 王五 \n\n赵六', utcOffset: '' })).toMatchObject({
			value: { observers: ['王五', '赵六'], utcOffset: undefined, mediatorIds: [], expertIds: [] }
		});
		expect(check(scheduleSessionSchema, { ...schedule, utcOffset: '-480' })).toMatchObject({
			value: { utcOffset: -480 }
		});
	});

	it('wants parties for a mediation and an expert for a consultation', () => {
		expect(check(scheduleSessionSchema, { ...schedule, partyIds: [] })).toEqual({
			errors: { partyIds: ['required'] }
		});
		expect(check(scheduleSessionSchema, { ...schedule, kind: 'consultation' })).toEqual({
			errors: { expertIds: ['required'] }
		});
		expect(check(scheduleSessionSchema, { ...schedule, kind: 'consultation', expertIds: [EXPERT] })).toHaveProperty(
			'value'
		);
	});

	it('refuses a time that is not a wall-clock time, an offset beyond a day, and too many observers', () => {
		expect(
			check(scheduleSessionSchema, {
				...schedule,
				scheduledFor: '2026-12-01T09:30Z',
				utcOffset: '900',
				observers: ['甲', '乙', '丙', '丁', '戊', '己'].join('\n')
			})
		).toEqual({ errors: { scheduledFor: ['invalid'], utcOffset: ['invalid'], observers: ['too_long'] } });
		expect(check(scheduleSessionSchema, { ...schedule, scheduledFor: '' })).toEqual({
			errors: { scheduledFor: ['required'] }
		});
	});
});

describe('small schemas', () => {
	it('takes a PIN of six digits only', () => {
		expect(check(joinPinSchema, { pin: ' 123456 ' })).toEqual({ value: { pin: '123456' } });
		expect(check(joinPinSchema, { pin: '12345' })).toEqual({ errors: { pin: ['invalid'] } });
		expect(check(joinPinSchema, {})).toEqual({ errors: { pin: ['required'] } });
	});

	it('reads a committee deadline as a number of days within a year', () => {
		const committeeId = CASE;
		expect(check(committeeDeadlineSchema, { committeeId, deadlineDays: '15' })).toEqual({
			value: { committeeId, deadlineDays: 15 }
		});
		for (const deadlineDays of ['0', '366', '1.5', 'soon']) {
			expect(check(committeeDeadlineSchema, { committeeId, deadlineDays })).toEqual({
				errors: { deadlineDays: ['invalid'] }
			});
		}
	});

	it('finds a case number as typed, and filters the case list by known values only', () => {
		expect(check(caseChainLookupSchema, { number: ' 2026-qsz-000123 ' })).toEqual({
			value: { number: '2026-QSZ-000123' }
		});
		expect(check(caseListSchema, { status: 'in_mediation', open: '1' })).toHaveProperty('value');
		expect(check(caseListSchema, { status: 'sleeping', open: 'yes' })).toEqual({
			errors: { status: ['invalid'], open: ['invalid'] }
		});
	});
});
