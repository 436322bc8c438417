/** The camera and microphone a person chose before joining, and why one may be missing. */

export type MediaProblem = 'denied' | 'not_found' | 'in_use' | 'insecure' | 'failed';
export type DeviceChoice = { micId: string | null; cameraId: string | null };
/** What the person joins with: their stream (none to listen only) and what starts switched on. */
export type JoinChoice = { stream: MediaStream | null; micOn: boolean; cameraOn: boolean };

/** What getUserMedia's refusal means for the person in front of the screen. */
export function mediaProblemOf(error: unknown): MediaProblem {
	const name = error instanceof DOMException ? error.name : '';
	if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
	if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'not_found';
	if (name === 'NotReadableError' || name === 'AbortError') return 'in_use';
	return 'failed';
}

/**
 * Opens the chosen devices; without a choice, whatever the browser offers. When camera and
 * microphone together are refused for lack of one of them, the microphone alone is tried,
 * so that someone without a camera still joins with audio.
 */
export async function openLocalMedia(
	choice: DeviceChoice | null
): Promise<{ stream: MediaStream | null; problem: MediaProblem | null }> {
	if (!navigator.mediaDevices?.getUserMedia) return { stream: null, problem: 'insecure' };
	const audio = choice ? (choice.micId ? { deviceId: { exact: choice.micId } } : false) : true;
	const video = choice ? (choice.cameraId ? cameraConstraints(choice.cameraId) : false) : cameraConstraints(null);
	if (!audio && !video) return { stream: null, problem: null };
	try {
		return { stream: await navigator.mediaDevices.getUserMedia({ audio, video }), problem: null };
	} catch (error) {
		const problem = mediaProblemOf(error);
		if (problem !== 'not_found' || !audio || !video) return { stream: null, problem };
		try {
			return { stream: await navigator.mediaDevices.getUserMedia({ audio }), problem: null };
		} catch (audioError) {
			return { stream: null, problem: mediaProblemOf(audioError) };
		}
	}
}

/** Sized for the largest simulcast layer; the browser scales the smaller ones down from it. */
function cameraConstraints(deviceId: string | null): MediaTrackConstraints {
	return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 } };
}

export async function listDevices(): Promise<{ mics: MediaDeviceInfo[]; cameras: MediaDeviceInfo[] }> {
	const devices = await navigator.mediaDevices.enumerateDevices();
	return {
		mics: devices.filter((d) => d.kind === 'audioinput' && d.deviceId),
		cameras: devices.filter((d) => d.kind === 'videoinput' && d.deviceId)
	};
}

export function stopStream(stream: MediaStream | null): void {
	for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Calls back with the input level, 0 to 1, about 20 times a second, until the returned function is called. */
export function watchLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
	const context = new AudioContext();
	const analyser = context.createAnalyser();
	analyser.fftSize = 512;
	context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
	const samples = new Float32Array(analyser.fftSize);
	const timer = setInterval(() => {
		analyser.getFloatTimeDomainData(samples);
		let sum = 0;
		for (const sample of samples) sum += sample * sample;
		// RMS, scaled so that normal speech fills most of the meter.
		onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
	}, 50);
	return () => {
		clearInterval(timer);
		void context.close();
	};
}
