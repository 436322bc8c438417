import { crc32, deflateSync } from 'node:zlib';

const WIDTH = 240;
const HEIGHT = 80;

/**
 * A drawn signature for the demo's oral agreement: a scribbled stroke of dark ink on a clear
 * ground, as a PNG, as the signature pad gives one.
 */
export function demoSignature(): Uint8Array {
	const rows = Buffer.alloc(HEIGHT * (1 + WIDTH * 4));
	const ink = (x: number, y: number) => {
		for (let dy = -1; dy <= 1; dy++)
			for (let dx = -1; dx <= 1; dx++) {
				const px = Math.round(x) + dx;
				const py = Math.round(y) + dy;
				if (px < 0 || py < 0 || px >= WIDTH || py >= HEIGHT) continue;
				rows.set([26, 26, 46, 255], py * (1 + WIDTH * 4) + 1 + px * 4);
			}
	};
	for (let t = 0; t <= 1; t += 0.0005) {
		const x = 15 + t * 210;
		ink(x, 40 + Math.sin(t * 19) * 22 * Math.sin(t * Math.PI) + Math.cos(t * 53) * 5);
	}
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const framed = Buffer.alloc(body.length + 8);
		framed.writeUInt32BE(data.length, 0);
		body.copy(framed, 4);
		framed.writeUInt32BE(crc32(body), body.length + 4);
		return framed;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(WIDTH, 0);
	header.writeUInt32BE(HEIGHT, 4);
	header.set([8, 6, 0, 0, 0], 8);
	return new Uint8Array(
		Buffer.concat([
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			chunk('IHDR', header),
			chunk('IDAT', deflateSync(rows)),
			chunk('IEND', Buffer.alloc(0))
		])
	);
}
