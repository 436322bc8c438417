/**
 * `npm test` runs this first: the end-to-end tests drive Debian's Chromium, the agreement tests
 * read PDFs with poppler-utils and draw rare characters with HanaMinB (fonts-hanazono). What is
 * missing is installed with apt-get where that can be done (as root on Debian or Ubuntu);
 * elsewhere this names what to install and fails, so the tests do not start half-equipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RARE_CHARACTERS_FONT_FILE } from '../signing/pdf/agreement-fonts.ts';
import { CHROMIUM_PATH } from '../../tests/support/chromium-path.ts';

const onPath = (command: string) =>
	(process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

const POPPLER = ['pdfinfo', 'pdffonts', 'pdftotext', 'pdftoppm', 'pdfsig'];

const TOOLS = [
	{
		debianPackage: 'chromium',
		what: `Chromium at ${CHROMIUM_PATH} (or set CHROMIUM_PATH to another Chromium)`,
		present: () => existsSync(CHROMIUM_PATH)
	},
	{
		debianPackage: 'poppler-utils',
		what: `poppler-utils (${POPPLER.join(', ')}) on the PATH`,
		present: () => POPPLER.every(onPath)
	},
	{
		debianPackage: 'fonts-hanazono',
		what: `the HanaMinB font at ${RARE_CHARACTERS_FONT_FILE}`,
		present: () => existsSync(RARE_CHARACTERS_FONT_FILE)
	}
];

const APT_GET = '/usr/bin/apt-get';
const missing = TOOLS.filter((tool) => !tool.present());
const canInstall = process.getuid?.() === 0 && existsSync(APT_GET);
if (missing.length > 0 && canInstall) {
	const packages = missing.map((tool) => tool.debianPackage);
	console.log(`Installing what the tests need: ${packages.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	try {
		execFileSync(APT_GET, ['update'], { stdio: 'inherit', env });
		execFileSync(APT_GET, ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
	} catch {
		// apt-get has said why; what is still missing is named below.
	}
}
const stillMissing = TOOLS.filter((tool) => !tool.present());
if (stillMissing.length > 0) {
	console.error('The tests need, and this machine lacks:');
	for (const tool of stillMissing) console.error(`  - ${tool.what} (Debian/Ubuntu package ${tool.debianPackage})`);
	console.error(
		canInstall
			? 'apt-get could not install them: see its output above.'
			: 'Install them (as root on Debian or Ubuntu: apt-get install ' +
					stillMissing.map((tool) => tool.debianPackage).join(' ') +
					'), then run the tests again.'
	);
	process.exit(1);
}
