import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { devServer } from './server/dev-server-plugin.ts';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './src/lib/i18n/project.inlang',
			outdir: './src/lib/i18n/paraglide',
			strategy: ['cookie', 'baseLocale'],
			cookieName: 'tj_locale'
		}),
		sveltekit(),
		process.env.VITEST ? undefined : devServer()
	],
	test: {
		include: ['server/**/*.spec.ts', 'src/**/*.spec.ts', 'tests/integration/**/*.spec.ts'],
		testTimeout: 20_000,
		hookTimeout: 60_000
	}
});
