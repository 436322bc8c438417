/**
 * The mediasoup worker that server/cli/ensure-media-worker.ts installs: it starts, serves a router
 * and a WebRTC transport, and when its process dies mediasoup says so, which is what rebuilding a
 * room after a worker crash hangs on.
 */
import * as mediasoup from 'mediasoup';
import { afterEach, describe, expect, test } from 'vitest';

const mediaCodecs: mediasoup.types.RouterRtpCodecCapability[] = [
	{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
	{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }
];

const workers: mediasoup.types.Worker[] = [];

async function startWorker(): Promise<mediasoup.types.Worker> {
	const worker = await mediasoup.createWorker({ rtcMinPort: 40000, rtcMaxPort: 40100, logLevel: 'warn' });
	workers.push(worker);
	return worker;
}

/** Closes the workers and waits for their processes to exit, so none outlives its test. */
afterEach(async () => {
	await Promise.all(
		workers.splice(0).map(async (worker) => {
			const exited = new Promise<void>((resolve) => worker.once('subprocessclose', resolve));
			worker.close();
			if (!worker.subprocessClosed) await exited;
		})
	);
});

describe('mediasoup worker', () => {
	test('runs a router with Opus and VP8 and a WebRTC transport on 127.0.0.1, and closes', async () => {
		const worker = await startWorker();
		expect(worker.pid).toBeGreaterThan(0);

		const router = await worker.createRouter({ mediaCodecs });
		expect(router.rtpCapabilities.codecs?.map((codec) => codec.mimeType)).toEqual(
			expect.arrayContaining(['audio/opus', 'video/VP8'])
		);

		const transport = await router.createWebRtcTransport({
			listenInfos: [
				{ protocol: 'udp', ip: '127.0.0.1' },
				{ protocol: 'tcp', ip: '127.0.0.1' }
			]
		});
		expect(transport.iceCandidates.map(({ protocol }) => protocol).sort()).toEqual(['tcp', 'udp']);
		for (const candidate of transport.iceCandidates) {
			expect(candidate.address).toBe('127.0.0.1');
			expect(candidate.port).toBeGreaterThanOrEqual(40000);
			expect(candidate.port).toBeLessThanOrEqual(40100);
		}
		expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);

		expect((await worker.dump()).routerIds).toEqual([router.id]);
		const usage = await worker.getResourceUsage();
		expect(usage.ru_maxrss).toBeGreaterThan(0);

		worker.close();
		expect([worker.closed, router.closed, transport.closed]).toEqual([true, true, true]);
		expect(worker.died).toBe(false);
	});

	test('reports "died" when its process is killed, and closes its routers', async () => {
		const worker = await startWorker();
		const router = await worker.createRouter({ mediaCodecs });
		const died = new Promise<Error>((resolve) => worker.once('died', resolve));

		process.kill(worker.pid, 'SIGKILL');

		expect(await died).toBeInstanceOf(Error);
		expect(worker.died).toBe(true);
		expect(router.closed).toBe(true);
	});
});
