import { describe, expect, test } from 'vitest';
import { nestedValues } from './form-action';

describe('nestedValues', () => {
	test('builds objects and arrays from dotted field names', () => {
		expect(
			nestedValues({
				facts: '排水沟',
				'applicant.name': '李秀英',
				'respondents.0.name': '王建国',
				'respondents.1.name': '赵大',
				'respondents.1.phone': '139'
			})
		).toEqual({
			facts: '排水沟',
			applicant: { name: '李秀英' },
			respondents: [{ name: '王建国' }, { name: '赵大', phone: '139' }]
		});
	});

	test('ignores names that could reach prototypes or allocate huge arrays, and survives clashes', () => {
		const nested = nestedValues({
			'__proto__.polluted': 'yes',
			'constructor.prototype.polluted': 'yes',
			'respondents.999999999.name': 'x',
			'a..b': 'x',
			applicant: 'plain',
			'applicant.name': '李秀英'
		});

		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(nested).toEqual({ applicant: { name: '李秀英' }, constructor: { prototype: { polluted: 'yes' } } });
	});
});
