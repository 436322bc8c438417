import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.ts';

describe('contentDisposition', () => {
	it('names a Chinese download in UTF-8, with the ASCII name given for older clients', () => {
		expect(
			contentDisposition('attachment', '人民调解协议书-2026-TYZ-000001.pdf', 'agreement-2026-TYZ-000001.pdf')
		).toBe(
			`attachment; filename="agreement-2026-TYZ-000001.pdf"; filename*=UTF-8''${encodeURIComponent('人民调解协议书')}-2026-TYZ-000001.pdf`
		);
	});

	it('without an ASCII name, stands underscores in for what ASCII lacks, and for quotes', () => {
		expect(contentDisposition('inline', '现场"照片".png')).toBe(
			`inline; filename="______.png"; filename*=UTF-8''${encodeURIComponent('现场"照片"')}.png`
		);
	});
});
