/**
 * Failover: the room's owner process killed (SIGKILL) under three pages in Chromium, timed until
 * the pages see video again. Two app processes stand behind the tests' TCP load balancer, as behind
 * nginx, and every page goes through it: the mediator's and the respondent's connections to the
 * process that then owns the room (the mediator's join takes it), the applicant's to the other one.
 * The kill takes the mediator's and respondent's sockets with it: their pages reconnect through the
 * balancer to the survivor. The applicant's socket the survivor closes once the dead owner's lease
 * has run out; its page reconnects too. The first of them to join again takes the room over.
 * recovery-bench.ts's pages follow every remote camera.
 */
import type { Browser, Page } from '@playwright/test';
import { LoadBalancer } from '../support/load-balancer.ts';
import { kill, type ServerProcess, type ServerStorage } from '../support/server-process.ts';
import { APP_PORTS, BALANCER_PORT, expectOwner, startApp } from './cluster-processes.ts';
import { framesAgain, seatThree, watchOf, type Person } from './recovery-bench.ts';
import type { Seeded } from './room-join.ts';

/** Times after the kill, in ms; undefined where it did not come within recovery-bench.ts's timeout. */
export type FailoverRun = {
	/** The first new frame of a remote camera on the applicant's page, whose socket was on the survivor. */
	survivorPage: number | undefined;
	/** The same on the respondent's page, whose socket was on the killed process. */
	killedPage: number | undefined;
	/** Every page decodes new frames from every other page. */
	everyone: number | undefined;
	findings: string[];
};

/** One run a session: each run kills the owner, which is started again for the next. */
export async function benchFailover(
	browser: Browser,
	storage: ServerStorage,
	sessions: Seeded[]
): Promise<FailoverRun[]> {
	const balancer = await LoadBalancer.listen(BALANCER_PORT, APP_PORTS);
	const apps: ServerProcess[] = [];
	try {
		for (const index of [0, 1]) apps.push(await startApp(storage, index, balancer.url));
		const runs: FailoverRun[] = [];
		for (const [i, seeded] of sessions.entries()) {
			// The processes take turns to own the room and be killed.
			const owner = i % 2;
			const people = await seatThree(browser, balancer.url, seeded, (name) =>
				balancer.pin(name === 'applicant' ? 1 - owner : owner)
			);
			balancer.roundRobin();
			await expectOwner(apps[owner], seeded.sessionId);
			const killedAt = Date.now();
			await kill(apps[owner]);
			const everyone = await framesAgain(people, people, killedAt);
			const pageOf = (name: Person['name']) => people.find((person) => person.name === name)!.page;
			const run = {
				survivorPage: await firstFrameAfter(pageOf('applicant'), killedAt),
				killedPage: await firstFrameAfter(pageOf('respondent'), killedAt),
				everyone: everyone.at,
				findings: everyone.findings
			};
			runs.push(run);
			console.log(`  run ${i + 1}:`, run);
			for (const person of people) await person.page.context().close();
			apps[owner] = await startApp(storage, owner, balancer.url);
		}
		return runs;
	} finally {
		await balancer.close();
		for (const app of apps) await kill(app);
	}
}

/** How long after `since` the page painted its first frame of any remote camera, if it did. */
async function firstFrameAfter(page: Page, since: number): Promise<number | undefined> {
	const { resumes } = await watchOf(page);
	const after = Object.values(resumes)
		.flat()
		.filter((at) => at > since);
	return after.length ? Math.min(...after) - since : undefined;
}
