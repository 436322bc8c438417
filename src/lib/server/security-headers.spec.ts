import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import { securityHeaders } from './security-headers';

async function headersFor(url: string, response = new Response('ok')) {
	const event = { url: new URL(url) } as RequestEvent;
	return (await securityHeaders({ event, resolve: async () => response })).headers;
}

describe('securityHeaders', () => {
	test('every response keeps its referrer, its camera and microphone, and its content type to itself', async () => {
		const headers = await headersFor('http://localhost:3000/cases');
		expect(headers.get('referrer-policy')).toBe('same-origin');
		expect(headers.get('permissions-policy')).toBe(
			'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()'
		);
		expect(headers.get('x-content-type-options')).toBe('nosniff');
	});

	test('HSTS over HTTPS only', async () => {
		expect((await headersFor('http://localhost:3000/')).get('strict-transport-security')).toBeNull();
		expect((await headersFor('https://tiaojie.example.gov.cn/')).get('strict-transport-security')).toBe(
			'max-age=31536000'
		);
	});

	test('a response’s own headers stay', async () => {
		const headers = await headersFor(
			'http://localhost:3000/',
			new Response('{}', { headers: { 'content-type': 'application/json' } })
		);
		expect(headers.get('content-type')).toBe('application/json');
	});
});
