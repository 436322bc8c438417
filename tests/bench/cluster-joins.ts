/**
 * Join → first remote video frame with the guest's page on another process than the room's owner,
 * against the same join on the owner: room-join.ts's timed join, in Chromium against two app
 * processes of one cluster. The mediator's page is on the first process, which so owns the room;
 * each guest's page is on the first process or on the second, whose socket's commands are then
 * forwarded to the owner, taking turns (ABBA) so that a drift of the shared machine hits both alike.
 */
import type { Browser, Page } from '@playwright/test';
import type { ServerProcess } from '../support/server-process.ts';
import { expectOwner } from './cluster-processes.ts';
import { admitButton, GUESTS, mediatorInRoom, timeJoin, type JoinTiming, type Seeded } from './room-join.ts';

/** Joins timed each way. */
export const CLUSTER_JOINS = 16;

export type Way = 'one' | 'across';
export type ClusterJoins = { warmUp: Record<Way, JoinTiming>; joins: Record<Way, JoinTiming[]> };

/** `apps[0]` owns the room; a guest on `apps[1]` is across. */
export async function benchClusterJoins(
	browser: Browser,
	apps: ServerProcess[],
	seeded: Seeded
): Promise<ClusterJoins> {
	const mediator = await mediatorInRoom(browser, apps[0].base, seeded);
	try {
		await expectOwner(apps[0], seeded.sessionId);
		let guest = 0;
		const join = async (way: Way) => {
			const i = guest++ % GUESTS;
			const { timing } = await timeJoin(browser, {
				url: (way === 'one' ? apps[0] : apps[1]).base,
				sessionId: seeded.sessionId,
				mediatorId: seeded.mediatorId,
				joinToken: seeded.joinTokens[i],
				admit: () => admitFrom(mediator, seeded.guestIds[i])
			});
			return timing;
		};
		const warmUp = { one: await join('one'), across: await join('across') };
		const joins: Record<Way, JoinTiming[]> = { one: [], across: [] };
		for (let i = 0; i < CLUSTER_JOINS; i++) {
			for (const way of i % 2 ? (['across', 'one'] as const) : (['one', 'across'] as const)) {
				const timing = await join(way);
				joins[way].push(timing);
				console.log(`  join ${i + 1}, ${way}: first frame ${timing.frame.toFixed(0)} ms after the click`);
			}
		}
		return { warmUp, joins };
	} finally {
		await mediator.context().close();
	}
}

/**
 * The mediator's page lets the guest in, as its 请进 button does: the event is dispatched without
 * Playwright's checks for a visible, steady button, which would add their own waiting to every join.
 */
const admitFrom = (mediator: Page, guestId: string) => admitButton(mediator, guestId).dispatchEvent('click');
