/**
 * A mainland China telephone number as people write it: a mobile (11 digits from 13 to 19,
 * perhaps after +86) or a landline with its area code (010-12345678, 0571 8765 4321, with an
 * extension after a dash). Returns the number as stored, without spaces (a mobile as its bare
 * 11 digits, so that the same person is recognised across cases), or null when it is not one.
 */
export function normalizePhone(value: string): string | null {
	const compact = value.replace(/[\s()（）]/g, '');
	const mobile = compact.replace(/-/g, '').replace(/^(?:\+|00)?86(?=1\d{10}$)/, '');
	if (/^1[3-9]\d{9}$/.test(mobile)) return mobile;
	if (/^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$/.test(compact)) return compact;
	return null;
}
