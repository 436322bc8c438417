import type { types } from 'mediasoup';

/** The realtime contract's media shapes as the server holds them: mediasoup's own declarations. */
export type ServerMedia = {
	rtpCapabilities: types.RtpCapabilities;
	rtpParameters: types.RtpParameters;
	iceParameters: types.IceParameters;
	iceCandidate: types.IceCandidate;
	dtlsParameters: types.DtlsParameters;
};
