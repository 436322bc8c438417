import { describe, expect, it } from 'vitest';
import { collapseUnchanged, readableDiff } from './readable-diff.ts';

describe('readableDiff', () => {
	it('marks what was taken out and put in, and keeps the rest', () => {
		expect(readableDiff('被申请人支付五千元。\n', '被申请人向申请人支付五千元。\n')).toEqual([
			{ kind: 'same', text: '被申请人' },
			{ kind: 'added', text: '向申请人' },
			{ kind: 'same', text: '支付五千元。\n' }
		]);
		expect(readableDiff('支付五千元，', '支付八千元整，')).toEqual([
			{ kind: 'same', text: '支付' },
			{ kind: 'removed', text: '五千元' },
			{ kind: 'added', text: '八千元整' },
			{ kind: 'same', text: '，' }
		]);
	});

	it('joins changes a character or two apart into one replacement', () => {
		expect(readableDiff('于2026年12月31日前', '于2027年1月15日前')).toEqual([
			{ kind: 'same', text: '于202' },
			{ kind: 'removed', text: '6年12月31' },
			{ kind: 'added', text: '7年1月15' },
			{ kind: 'same', text: '日前' }
		]);
	});

	it('does not join changes across a line break, and finds nothing between equal texts', () => {
		expect(readableDiff('甲\n乙', '丙\n丁').map((part) => part.kind)).toEqual([
			'removed',
			'added',
			'same',
			'removed',
			'added'
		]);
		expect(readableDiff('同一文字\n', '同一文字\n')).toEqual([{ kind: 'same', text: '同一文字\n' }]);
	});

	it('shows a change with a line of context either side, and only the count of the lines between', () => {
		const lines = (from: number, to: number) =>
			Array.from({ length: to - from + 1 }, (_, i) => `第${from + i}行`).join('\n') + '\n';
		const before = lines(1, 14);
		const after = before.replace('第5行', '第5行改').replace('第12行', '第12行改');
		expect(collapseUnchanged(readableDiff(before, after))).toEqual([
			{ kind: 'skipped', lines: 3 },
			{ kind: 'same', text: '\n第4行\n第5行' },
			{ kind: 'added', text: '改' },
			{ kind: 'same', text: '\n第6行\n' },
			{ kind: 'skipped', lines: 4 },
			{ kind: 'same', text: '\n第11行\n第12行' },
			{ kind: 'added', text: '改' },
			// Too little to leave out.
			{ kind: 'same', text: '\n第13行\n第14行\n' }
		]);
	});
});
