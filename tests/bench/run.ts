/**
 * `npm run bench`: runs every benchmark and rewrites its section of
 * BENCHMARKS.md (found by its heading), leaving the other sections as they
 * were. `npm run bench -- --reseed` rebuilds the seeded databases first;
 * `npm run bench -- --only <words>` runs only the benchmarks whose title has
 * those words (whole words, case-insensitive: `room` is not `rooms`).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { benchCases, casesSectionTitle } from './cases-bench.ts';
import { benchCluster, clusterSectionTitle } from './cluster-bench.ts';
import { benchRoom, roomSectionTitle } from './room-bench.ts';
import { benchDossier, dossierSectionTitle } from './dossier-bench.ts';
import { benchDrafting, draftingSectionTitle } from './drafting-bench.ts';
import { benchPageWeight, pageWeightSectionTitle } from './page-weight-bench.ts';
import { benchRecovery, recoverySectionTitle } from './recovery-bench.ts';
import { benchSealLevels, sealLevelsSectionTitle } from './seal-levels-bench.ts';
import { benchSigning, signingSectionTitle } from './signing-bench.ts';
import { benchStatistics, statisticsSectionTitle } from './statistics-bench.ts';
import { benchNotifications, notificationsSectionTitle } from './notifications-bench.ts';

type Bench = { title: string; run: (options: { reseed: boolean }) => Promise<string> };

const benches: Bench[] = [
	{ title: casesSectionTitle, run: benchCases },
	{ title: statisticsSectionTitle, run: benchStatistics },
	{ title: draftingSectionTitle, run: benchDrafting },
	{ title: roomSectionTitle, run: benchRoom },
	{ title: recoverySectionTitle, run: benchRecovery },
	{ title: clusterSectionTitle, run: benchCluster },
	{ title: signingSectionTitle, run: benchSigning },
	{ title: sealLevelsSectionTitle, run: benchSealLevels },
	{ title: dossierSectionTitle, run: benchDossier },
	{ title: pageWeightSectionTitle, run: benchPageWeight },
	{ title: notificationsSectionTitle, run: benchNotifications }
];

const file = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

const INTRO = `# Benchmarks

Speed is measured here, never asserted in tests. \`npm run bench\` runs every benchmark below and rewrites its
section; \`npm run bench -- --reseed\` rebuilds the seeded databases first. Each section says when and where it ran.
`;

const machine = () =>
	`${cpus()[0].model.trim()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}; load average ${loadavg()[0].toFixed(1)} when it started`;

/** `text` with the section headed `## title` replaced by `body`, or appended when there is none. */
function withSection(text: string, title: string, body: string): string {
	const heading = `## ${title}`;
	const [intro, ...sections] = text.split(/^(?=## )/m);
	const fresh = `${heading}\n\n${body}\n\n`;
	const at = sections.findIndex((section) => section.split('\n', 1)[0] === heading);
	if (at === -1) sections.push(fresh);
	else sections[at] = fresh;
	return [intro.trimEnd() + '\n\n', ...sections].join('');
}

const reseed = process.argv.includes('--reseed');
const onlyAt = process.argv.indexOf('--only');
// The words up to the next option, as in `--only seal levels`.
const after = process.argv.slice(onlyAt + 1);
const end = after.findIndex((arg) => arg.startsWith('--'));
const only = onlyAt === -1 ? null : after.slice(0, end === -1 ? undefined : end).join(' ');
if (only === '') throw new Error('--only needs a word: npm run bench -- --only drafting');
// Whole words: `--only room` is the room media benchmark, not also the one of rooms across processes.
const wholeWords = only === null ? null : new RegExp(`\\b${only.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
const chosen = wholeWords === null ? benches : benches.filter((bench) => wholeWords.test(bench.title));
if (!chosen.length) throw new Error(`no benchmark's title has "${only}": ${benches.map((b) => b.title).join('; ')}`);
let text = existsSync(file) ? await readFile(file, 'utf8') : INTRO;
for (const bench of chosen) {
	console.log(`\n${bench.title}`);
	const body = await bench.run({ reseed });
	const ran = `Last run ${new Date().toISOString().slice(0, 10)} on ${machine()}.`;
	text = withSection(text, bench.title, `${ran}\n\n${body}`);
	// Written after each benchmark, so a later one failing loses nothing.
	await writeFile(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
}
console.log(`\nwrote ${file}`);
