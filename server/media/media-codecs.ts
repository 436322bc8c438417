import type { types } from 'mediasoup';

/**
 * What every room's router offers. Opus with in-band FEC and DTX, because parties are often on
 * phones on poor mobile networks and silence then costs nothing; VP8 for camera and screen,
 * because every browser encodes it and simulcasts it.
 */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
	{
		kind: 'audio',
		mimeType: 'audio/opus',
		clockRate: 48000,
		channels: 2,
		parameters: { useinbandfec: 1, usedtx: 1 }
	},
	{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }
];
