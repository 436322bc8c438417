/** `npm run demo`: seeds a demo town into an empty instance and prints the demo log-ins. */
import { closeApp, createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed-demo.ts';
import { isSetupComplete } from '../setup/is-setup-complete.ts';

const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
const app = await createApp(config);
try {
	if (await isSetupComplete(app.db)) {
		console.error(
			`This instance is already set up; the demo seeds only an empty one.\n` +
				`Point DATA_DIR (now ${config.dataDir}) or DATABASE_URL at an empty database and run it again.`
		);
		process.exitCode = 1;
	} else {
		const logins = await seedDemo(app);
		console.log(`Demo town seeded (${app.database.driver}). Log in at http://localhost:${config.port}/login with:\n`);
		console.table(
			logins.map(({ role, username, displayName }) => ({ role, username, name: displayName, password: DEMO_PASSWORD }))
		);
	}
} finally {
	await closeApp(app);
}
