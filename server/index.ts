/**
 * Production process entry: configuration → database → services → one HTTP
 * server carrying the SvelteKit handler and Socket.io. Run `npm start`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { closeApp, createApp, publishApp } from './app.ts';
import { loadConfigOrExit } from './config.ts';
import { createLogger } from './log.ts';

const config = loadConfigOrExit();
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
const plainHttp = !config.origin && !config.protocolHeader && !config.tls;
if (plainHttp) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;
// A computed path keeps type checking independent of whether a build exists yet.
const handlerModule = new URL('../build/handler.js', import.meta.url).href;
const { handler } = (await import(handlerModule)) as { handler: RequestListener };

const listener: RequestListener = plainHttp
	? (req, res) => {
			req.headers[OWN_PROTOCOL_HEADER] = 'http';
			handler(req, res);
		}
	: handler;
// Browsers give camera and microphone only to secure pages: HTTPS here, or from a TLS proxy in front.
const server = config.tls
	? createTlsServer({ cert: readPem(config.tls.certFile), key: readPem(config.tls.keyFile) }, listener)
	: createServer(listener);
app.realtime.attach(server);
server.listen(config.port, config.host, () => {
	const scheme = config.tls ? 'https' : 'http';
	log.info({ port: config.port, host: config.host }, `Tiaojie listening on ${scheme}://localhost:${config.port}`);
});

function readPem(file: string): Buffer {
	try {
		return readFileSync(file);
	} catch (error) {
		console.error(`Cannot read ${file}: ${(error as Error).message}`);
		process.exit(1);
	}
}

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
