import { afterEach, describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES } from '$lib/shared/case-events';
import { baseLocale, locales, overwriteGetLocale } from './paraglide/runtime';
import { timelineSentence } from './timeline';

const inEach = (action: string) =>
	locales.map((locale) => {
		overwriteGetLocale(() => locale);
		return timelineSentence({ action, actorName: '李明华' });
	});

afterEach(() => overwriteGetLocale(() => baseLocale));

describe('timelineSentence', () => {
	it.each(CASE_EVENT_TYPES)('tells %s in words, in each language of its own', (action) => {
		const sentences = inEach(action);
		for (const sentence of sentences) {
			expect(sentence).toContain('李明华');
			expect(sentence).not.toContain(action);
		}
		// A language without the message would show the base language's instead.
		expect(new Set(sentences).size).toBe(locales.length);
	});

	it('shows an event it has no words for by its code, rather than not at all', () => {
		for (const sentence of inEach('case.unheard_of')) expect(sentence).toContain('case.unheard_of');
	});
});
