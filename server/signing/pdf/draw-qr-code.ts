import type { PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';

/**
 * A QR code of `text` drawn as vector rectangles, one a run of dark modules in a row, with its
 * top-left corner at (x, top) and `size` points wide, quiet zone included.
 */
export function drawQrCode(page: PDFPage, text: string, at: { x: number; top: number; size: number }): void {
	const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const quietZone = 4;
	const cell = at.size / (modules.size + 2 * quietZone);
	for (let row = 0; row < modules.size; row++) {
		let column = 0;
		while (column < modules.size) {
			if (!modules.get(row, column)) {
				column++;
				continue;
			}
			const start = column;
			while (column < modules.size && modules.get(row, column)) column++;
			page.drawRectangle({
				x: at.x + (quietZone + start) * cell,
				y: at.top - (quietZone + row + 1) * cell,
				width: (column - start) * cell,
				height: cell
			});
		}
	}
}
