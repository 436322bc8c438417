/**
 * The far end of the app's WebRTC transports without a browser: each transport the app makes for a
 * socket's `room:createTransport` is joined to a WebRtcTransport of a mediasoup worker of the
 * bench's own, so that the app's run ICE, DTLS and SRTP as they do with Chromium. Both ends are
 * ICE-lite (mediasoup answers connectivity checks but never sends one), so neither would begin: a
 * UDP socket stands between them and sends each the checks a browser would, nominating its own
 * address, then passes on what they send: DTLS both ways, media only towards the app. The RTP the
 * app sends the bench's end (its consumers' packets) is counted here and dropped, as DiscardSink
 * drops it for a PlainTransport; the bench's end never needs it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { crc32 } from 'node:zlib';
import type { types } from 'mediasoup';
import type { Address } from './rtp-feed.ts';

/** mediasoup lets a transport go after 30 s without a check from its peer (ICE consent). */
const CONSENT_MS = 5_000;
const DTLS_TIMEOUT_MS = 10_000;
const STUN_MAGIC_COOKIE = 0x2112a442;
const STUN_FINGERPRINT_XOR = 0x5354554e;
/** The message type and attribute types of RFC 5389 and RFC 8445. */
const STUN = {
	binding: 0x0001,
	username: 0x0006,
	integrity: 0x0008,
	priority: 0x0024,
	useCandidate: 0x0025,
	iceControlling: 0x802a,
	fingerprint: 0x8028
};

/** A transport as `room:createTransport` describes it. */
export type AppTransport = {
	iceParameters: IceCredentials;
	iceCandidates: { address: string; port: number; protocol: string }[];
	dtlsParameters: { fingerprints: { algorithm: string; value: string }[] };
};
type IceCredentials = { usernameFragment: string; password: string };

/** One end: where it listens, its ICE credentials, whether media from it is passed on, and the RTP packets it sent. */
type End = { address: Address; ice: IceCredentials; to: Address; passesMedia: boolean; rtp: number };

/** The bench's end of one of the app's transports. */
export type Link = {
	transport: types.WebRtcTransport;
	/** RTP packets the app's transport sent it so far. */
	rtpFromApp: () => number;
	/** RTP packets it sent the app's transport so far. */
	rtpToApp: () => number;
};

const key = ({ ip, port }: Address) => `${ip}:${port}`;

export class IceRelay {
	readonly #socket = createSocket('udp4');
	/** Both ends of every link, by their address. */
	readonly #ends = new Map<string, End>();
	readonly #consent: NodeJS.Timeout;

	static async open(): Promise<IceRelay> {
		const relay = new IceRelay();
		relay.#socket.bind(0, '127.0.0.1');
		await once(relay.#socket, 'listening');
		// Hundreds of consumers' packets may arrive in a burst.
		relay.#socket.setRecvBufferSize(8 * 1024 * 1024);
		return relay;
	}

	private constructor() {
		this.#socket.on('message', (packet, from) => this.#pass(packet, { ip: from.address, port: from.port }));
		this.#consent = setInterval(() => {
			for (const end of this.#ends.values()) this.#check(end);
		}, CONSENT_MS);
	}

	/**
	 * A transport of `router` joined to the app's transport `app`: `connect` gives the app the new
	 * one's DTLS parameters (`room:connectTransport`). Resolves once their DTLS is up.
	 */
	async link(
		router: types.Router,
		app: AppTransport,
		connect: (dtlsParameters: types.DtlsParameters) => Promise<unknown>
	): Promise<Link> {
		const transport = await router.createWebRtcTransport({ listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }] });
		const candidate = app.iceCandidates.find((c) => c.protocol === 'udp');
		if (!candidate) throw new Error('the app offered no UDP candidate');
		// The app's end answers DTLS (server); the bench's starts it (client) once its ICE is done.
		await connect({ role: 'client', fingerprints: transport.dtlsParameters.fingerprints });
		await transport.connect({
			dtlsParameters: { role: 'server', fingerprints: app.dtlsParameters.fingerprints as types.DtlsFingerprint[] }
		});
		const appEnd: End = {
			address: { ip: candidate.address, port: candidate.port },
			ice: app.iceParameters,
			to: { ip: transport.iceCandidates[0].address, port: transport.iceCandidates[0].port },
			passesMedia: false,
			rtp: 0
		};
		const benchEnd: End = {
			address: appEnd.to,
			ice: transport.iceParameters,
			to: appEnd.address,
			passesMedia: true,
			rtp: 0
		};
		const connected = dtlsConnected(transport);
		for (const end of [appEnd, benchEnd]) {
			this.#ends.set(key(end.address), end);
			this.#check(end);
		}
		await connected;
		return { transport, rtpFromApp: () => appEnd.rtp, rtpToApp: () => benchEnd.rtp };
	}

	close(): void {
		clearInterval(this.#consent);
		this.#socket.close();
	}

	#pass(packet: Buffer, from: Address): void {
		const end = this.#ends.get(key(from));
		// STUN (RFC 7983: a first byte below 4) is the ends' answers to the checks.
		if (!end || packet[0] < 4) return;
		const dtls = packet[0] >= 20 && packet[0] < 64;
		// RTCP packet types take 192–223 in the second byte, where RTP has its marker and payload type.
		if (!dtls && (packet[1] < 192 || packet[1] > 223)) end.rtp++;
		if (dtls || end.passesMedia) this.#socket.send(packet, end.to.port, end.to.ip);
	}

	#check(end: End): void {
		this.#socket.send(bindingRequest(end.ice), end.address.port, end.address.ip);
	}
}

function dtlsConnected(transport: types.WebRtcTransport): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('DTLS did not connect')), DTLS_TIMEOUT_MS);
		transport.on('dtlsstatechange', (state) => {
			if (state === 'connecting') return;
			clearTimeout(timer);
			if (state === 'connected') resolve();
			else reject(new Error(`DTLS ${state}`));
		});
	});
}

/**
 * A STUN Binding request as a controlling ICE agent nominating the pair (RFC 8445): USERNAME,
 * PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, then MESSAGE-INTEGRITY keyed with the end's password
 * and FINGERPRINT, each computed with the header's length counting up to its own end.
 */
function bindingRequest({ usernameFragment, password }: IceCredentials): Buffer {
	const header = Buffer.alloc(20);
	header.writeUInt16BE(STUN.binding, 0);
	header.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
	randomBytes(12).copy(header, 8);
	const priority = Buffer.alloc(4);
	priority.writeUInt32BE(0x6e7f1eff);
	const body = Buffer.concat([
		attribute(STUN.username, Buffer.from(`${usernameFragment}:relay`)),
		attribute(STUN.priority, priority),
		attribute(STUN.iceControlling, randomBytes(8)),
		attribute(STUN.useCandidate, Buffer.alloc(0))
	]);
	header.writeUInt16BE(body.length + 24, 2);
	const integrity = createHmac('sha1', password)
		.update(Buffer.concat([header, body]))
		.digest();
	const signed = Buffer.concat([header, body, attribute(STUN.integrity, integrity)]);
	signed.writeUInt16BE(signed.length - 20 + 8, 2);
	const fingerprint = Buffer.alloc(4);
	fingerprint.writeUInt32BE((crc32(signed) ^ STUN_FINGERPRINT_XOR) >>> 0);
	return Buffer.concat([signed, attribute(STUN.fingerprint, fingerprint)]);
}

/** A STUN attribute: type, length, value padded to four bytes. */
function attribute(type: number, value: Buffer): Buffer {
	const head = Buffer.alloc(4);
	head.writeUInt16BE(type, 0);
	head.writeUInt16BE(value.length, 2);
	return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}
