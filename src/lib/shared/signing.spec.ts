import { describe, expect, it } from 'vitest';
import { awaitsSignature, signaturesComplete, type SignerView } from './signing.ts';

const signer = (key: string, role: SignerView['role'], signed: boolean): SignerView => ({
	key,
	name: key,
	role,
	signedAt: signed ? '2026-11-29T02:00:00.000Z' : null
});

describe('awaitsSignature', () => {
	it('waits for every party and one mediator, never for a legal expert', () => {
		const signers = [
			signer('applicant', 'party', true),
			signer('respondent', 'party', false),
			signer('mediator', 'mediator', false),
			signer('second mediator', 'mediator', false),
			signer('expert', 'expert', false)
		];
		expect(signers.filter((s) => awaitsSignature(s, signers)).map((s) => s.key)).toEqual([
			'respondent',
			'mediator',
			'second mediator'
		]);
	});

	it('once the agreement is complete, waits for nobody: the signers left are optional', () => {
		const signers = [
			signer('applicant', 'party', true),
			signer('mediator', 'mediator', true),
			signer('second mediator', 'mediator', false),
			signer('expert', 'expert', false)
		];
		expect(signaturesComplete(signers)).toBe(true);
		expect(signers.filter((s) => awaitsSignature(s, signers))).toEqual([]);
	});
});
