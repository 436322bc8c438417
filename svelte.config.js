import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit's own origin check is off (every origin passes it): src/hooks.server.ts checks
		// instead, where the public /verify endpoint is let through.
		csrf: { trustedOrigins: ['*'] },
		// SvelteKit adds a nonce (a hash on prerendered pages) to script-src for its own inline scripts.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte, ProseMirror and ECharts set style attributes: inline styles cannot run code.
				'style-src': ['self', 'unsafe-inline'],
				// Signature pads, QR codes and previews are data: and blob: images.
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'font-src': ['self', 'data:'],
				// Socket.io's WebSocket goes to the page's own origin (`self` covers ws: and wss:).
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
