import type { Plugin } from 'vite';
import { closeApp, createApp, publishApp } from './app.ts';
import { loadConfig } from './config.ts';

/**
 * `npm run dev`: the same App as in production, with Socket.io attached to
 * Vite's own HTTP server, so pages and sockets share one port and one set of
 * services.
 */
export function devServer(): Plugin {
	return {
		name: 'tiaojie-dev-server',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const app = await createApp(loadConfig({ NODE_ENV: 'development', ...process.env }));
			publishApp(app);
			app.realtime.attach(server.httpServer as import('node:http').Server);
			server.httpServer.once('close', () => {
				publishApp(undefined);
				void closeApp(app);
			});
		}
	};
}
