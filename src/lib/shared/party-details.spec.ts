import { describe, expect, it } from 'vitest';
import { residentIdNumber } from '../../../tests/support/identity-numbers.ts';
import { ETHNIC_GROUPS } from './ethnic-groups.ts';
import { ageOn, maskIdNumber, missingPartyDetails, type PartyDetails } from './party-details.ts';

const nobody: PartyDetails = {
	kind: 'person',
	name: '张三',
	phone: null,
	address: null,
	gender: null,
	ethnicity: null,
	birthDate: null,
	occupation: null,
	workplace: null,
	idType: null,
	idNumber: null,
	creditCode: null,
	representative: null,
	representativeRole: null,
	agent: null
};
const complete: PartyDetails = {
	...nobody,
	phone: '13800138000',
	gender: 'male',
	ethnicity: '01',
	birthDate: '1980-05-01',
	occupation: '农民',
	idType: 'resident_id',
	idNumber: residentIdNumber({ birthDate: '1980-05-01' }),
	workplace: '青山村合作社'
};

describe('what a party still lacks', () => {
	it('lists every detail the application and the agreement need of a person', () => {
		expect(missingPartyDetails(nobody)).toEqual([
			'gender',
			'ethnicity',
			'birthDate',
			'occupation',
			'idNumber',
			'phone',
			'addressOrWorkplace'
		]);
		expect(missingPartyDetails(complete)).toEqual([]);
		// An address or a workplace will do.
		expect(missingPartyDetails({ ...complete, workplace: null, address: '青山村 3 组' })).toEqual([]);
	});

	it('asks an organisation for its code, representative, address and phone', () => {
		expect(missingPartyDetails({ ...nobody, kind: 'organisation', name: '青山建材厂' })).toEqual([
			'creditCode',
			'representative',
			'address',
			'phone'
		]);
	});

	it('asks an agent for the scope of authority and the power of attorney', () => {
		const agent = { name: '李律师', phone: null, scope: null, powerOfAttorney: null };
		expect(missingPartyDetails({ ...complete, agent })).toEqual(['agentScope', 'powerOfAttorney']);
		expect(
			missingPartyDetails({
				...complete,
				agent: { ...agent, scope: 'special', powerOfAttorney: { fileId: 'f', filename: '委托书.pdf' } }
			})
		).toEqual([]);
	});
});

describe('showing a party', () => {
	it('masks an ID number to its first 6 and last 4 characters', () => {
		expect(maskIdNumber('110105194912311234')).toBe('110105********1234');
		expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
		expect(maskIdNumber('E12345678')).toBe('*********');
	});

	it('gives the age in whole years, a birthday counting from its day', () => {
		expect(ageOn('1980-05-01', new Date('2026-04-30T12:00:00Z'))).toBe(45);
		expect(ageOn('1980-05-01', new Date('2026-05-01T12:00:00Z'))).toBe(46);
	});

	it('knows the 56 ethnic groups, each under its own code', () => {
		expect(ETHNIC_GROUPS).toHaveLength(56);
		expect(new Set(ETHNIC_GROUPS.map((g) => g.code)).size).toBe(56);
		expect(ETHNIC_GROUPS.map((g) => Number(g.code))).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
	});
});
