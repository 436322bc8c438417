/**
 * Failover: the room's owner process killed (SIGKILL) under three pages in Chromium, timed until
 * the pages see video again. Two app processes stand behind the tests' TCP load balancer, as behind
 * nginx, and every page goes through it: the mediator's and the respondent's connections to the
 * process that then owns the room (the mediator's join takes it), the applicant's to the other one.
 * The kill takes the mediator's and respondent's sockets with it: their pages reconnect through the
 * balancer to the survivor. The applicant's socket the survivor closes once the dead owner has
 * stopped beating; its page reconnects too. The first of them to join again after that takes the
 * room over.
 * recovery-bench.ts's pages follow every remote camera.
 */
import type { Browser, Page } from '@playwright/test';
import { LoadBalancer } from '../support/load-balancer.ts';
import { kill, type ServerProcess, type ServerStorage } from '../support/server-process.ts';
import { APP_PORTS, BALANCER_PORT, expectOwner, startApp } from './cluster-processes.ts';
import { framesAgain, seatThree, watchOf, type Person } from './recovery-bench.ts';
import type { Seeded } from './room-join.ts';

/** Times after the kill, in ms; undefined where it did not come within recovery-bench.ts's timeout. */
export type PageRecovery = {
	/** The page left the joint space: its connection closed. */
	left: number | undefined;
	/** It was back in the joint space. */
	back: number | undefined;
	/** It painted its first new frame of a remote camera. */
	frame: number | undefined;
};

export type FailoverRun = {
	/** The applicant's page, whose socket was on the survivor. */
	survivorPage: PageRecovery;
	/** The respondent's page, whose socket was on the killed process. */
	killedPage: PageRecovery;
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
				survivorPage: await recoveryOf(pageOf('applicant'), killedAt),
				killedPage: await recoveryOf(pageOf('respondent'), killedAt),
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

/** How the page went through the failover, from what it noted (recovery-bench.ts's watch). */
async function recoveryOf(page: Page, since: number): Promise<PageRecovery> {
	const { states, resumes } = await watchOf(page);
	const after = states.filter((s) => s.at > since);
	const left = after.find((s) => s.state !== 'joined/joint');
	const back = left && after.find((s) => s.at > left.at && s.state === 'joined/joint');
	const frames = Object.values(resumes)
		.flat()
		.filter((at) => at > since);
	return {
		left: left && left.at - since,
		back: back && back.at - since,
		frame: frames.length ? Math.min(...frames) - since : undefined
	};
}
