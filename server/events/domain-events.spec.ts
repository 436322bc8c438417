import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DomainEvents } from './domain-events.ts';

/** A bus whose log lines are kept, parsed, for the test to read. */
function busWithLog() {
	const logged: Record<string, unknown>[] = [];
	const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
	return { events: new DomainEvents(log), logged };
}

describe('domain events', () => {
	it('runs the listeners in the order they subscribed and resolves once the last has finished', async () => {
		const { events } = busWithLog();
		const heard: string[] = [];
		events.on('case.changed', async ({ caseId }) => {
			await new Promise((resolve) => setTimeout(resolve, 10));
			heard.push(`first ${caseId}`);
		});
		events.on('case.changed', ({ caseId }) => void heard.push(`second ${caseId}`));

		await events.emit('case.changed', { caseId: 'c1' });

		expect(heard).toEqual(['first c1', 'second c1']);
	});

	it('logs a failing listener, thrown or rejected, and still runs the others', async () => {
		const { events, logged } = busWithLog();
		const heard: string[] = [];
		events.on('user.deactivated', () => {
			throw new Error('socket server gone');
		});
		events.on('user.deactivated', async () => {
			throw new Error('rules failed');
		});
		events.on('user.deactivated', ({ userId }) => void heard.push(userId));

		await expect(events.emit('user.deactivated', { userId: 'u1' })).resolves.toBeUndefined();

		expect(heard).toEqual(['u1']);
		expect(logged).toMatchObject([
			{ msg: 'domain event listener failed', event: 'user.deactivated', payload: { userId: 'u1' } },
			{ msg: 'domain event listener failed', event: 'user.deactivated', payload: { userId: 'u1' } }
		]);
		expect(logged.map((line) => (line.err as { message: string }).message)).toEqual([
			'socket server gone',
			'rules failed'
		]);
	});

	it('stops calling a listener once it unsubscribes, and only that one', async () => {
		const { events } = busWithLog();
		const heard: string[] = [];
		const unsubscribe = events.on(
			'invitation.revoked',
			({ participantId }) => void heard.push(`gone ${participantId}`)
		);
		events.on('invitation.revoked', ({ participantId }) => void heard.push(`kept ${participantId}`));

		await events.emit('invitation.revoked', { caseId: 'c1', participantId: 'p1' });
		unsubscribe();
		await events.emit('invitation.revoked', { caseId: 'c1', participantId: 'p2' });

		expect(heard).toEqual(['gone p1', 'kept p1', 'kept p2']);
	});

	it('emits to nobody without complaint', async () => {
		const { events, logged } = busWithLog();
		await expect(events.emit('agreement.sealed', { caseId: 'c1', sealedAgreementId: 'a1' })).resolves.toBeUndefined();
		expect(logged).toEqual([]);
	});
});
