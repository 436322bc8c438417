/**
 * Production process entry: configuration → database → services → one HTTP
 * server carrying the SvelteKit handler and Socket.io. Run `npm start`.
 */
import { createServer, type RequestListener } from 'node:http';
import { closeApp, createApp, publishApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';

let config: Config;
try {
	config = loadConfig();
} catch (error) {
	if (!(error instanceof ConfigError)) throw error;
	console.error(error.message);
	process.exit(1);
}
const log = createLogger(config);
const app = await createApp(config, { log });
publishApp(app);

// adapter-node reads these from the environment when its handler loads.
process.env.BODY_SIZE_LIMIT = String(config.bodySizeLimit);
/*
 * Without ORIGIN or a proxy's protocol header, adapter-node assumes HTTPS and
 * SvelteKit's origin check then refuses every form served over plain HTTP.
 * The server states the protocol it really speaks in a header of its own,
 * overwriting anything a client sent under that name.
 */
const OWN_PROTOCOL_HEADER = 'x-tiaojie-protocol';
const plainHttp = !config.origin && !config.protocolHeader;
if (plainHttp) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;
// A computed path keeps type checking independent of whether a build exists yet.
const handlerModule = new URL('../build/handler.js', import.meta.url).href;
const { handler } = (await import(handlerModule)) as { handler: RequestListener };

const server = createServer(
	plainHttp
		? (req, res) => {
				req.headers[OWN_PROTOCOL_HEADER] = 'http';
				handler(req, res);
			}
		: handler
);
app.realtime.attach(server);
server.listen(config.port, config.host, () => {
	log.info({ port: config.port, host: config.host }, `Tiaojie listening on http://localhost:${config.port}`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, 'shutting down');
	setTimeout(() => process.exit(1), 10_000).unref();
	const httpClosed = new Promise((resolve) => server.close(resolve));
	server.closeIdleConnections();
	await app.realtime.close();
	await httpClosed;
	await closeApp(app);
	log.info('stopped');
	process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
