import { AppError } from '#shared/errors.ts';
import { POWER_OF_ATTORNEY_TYPES } from '#shared/party-details.ts';
import { readUploads, type Upload } from './read-uploads.ts';

const FIELD = 'powerOfAttorney';

/**
 * The agent's power of attorney as the party form sends it: none, or one scan or photo,
 * checked like evidence (size, then type by content) and then held to the types a signed
 * paper comes as. Errors are reported on the form's own field.
 */
export async function readPowerOfAttorney(files: File[]): Promise<Upload[]> {
	let uploads: Upload[];
	try {
		uploads = await readUploads(files);
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		const codes = (error.fields?.evidence ?? ['invalid']).map((code) => (code === 'file_type' ? 'scan_type' : code));
		throw new AppError(error.code, { fields: { [FIELD]: codes } });
	}
	if (uploads.length > 1) throw new AppError('VALIDATION', { fields: { [FIELD]: ['too_many'] } });
	if (uploads.some((upload) => !(POWER_OF_ATTORNEY_TYPES as readonly string[]).includes(upload.mimeType)))
		throw new AppError('VALIDATION', { fields: { [FIELD]: ['scan_type'] } });
	return uploads;
}
