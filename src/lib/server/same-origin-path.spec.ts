import { describe, expect, test } from 'vitest';
import { sameOriginPath } from './same-origin-path';

const ORIGIN = 'https://tiaojie.example.gov.cn';

describe('sameOriginPath', () => {
	test.each([
		['/cases', '/cases'],
		['/cases/1?tab=sessions#agreement', '/cases/1?tab=sessions#agreement'],
		['/sessions/abc/room', '/sessions/abc/room'],
		// Non-ASCII is percent-encoded: a Location header takes bytes only.
		['/cases?q=排水沟', '/cases?q=%E6%8E%92%E6%B0%B4%E6%B2%9F'],
		['/a/../b', '/b'],
		['/%2F%2Fevil.example', '/%2F%2Fevil.example']
	])('keeps the path %j', (path, expected) => {
		expect(sameOriginPath(path, ORIGIN)).toBe(expected);
	});

	test.each([
		null,
		undefined,
		'',
		'cases',
		'//evil.example',
		'//evil.example/cases',
		'/\\evil.example',
		'\\\\evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'/\r/evil.example',
		'/\r\nSet-Cookie: tj_session=x',
		'/\u0000/evil.example',
		'/\u007f',
		' /cases',
		'https://evil.example',
		'http:evil.example',
		'javascript:alert(1)',
		'data:text/html,<script>alert(1)</script>',
		`${ORIGIN}/cases`,
		'/\\/evil.example'
	])('refuses %j', (path) => {
		expect(sameOriginPath(path, ORIGIN)).toBeNull();
	});
});
