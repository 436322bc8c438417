/** A response body read whole, unless it grows past `maxBytes`: then the read stops and throws. */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
	const reader = response.body?.getReader();
	if (!reader) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			throw new Error(`the response is larger than ${maxBytes} bytes`);
		}
		chunks.push(value);
	}
	return new Uint8Array(Buffer.concat(chunks));
}
