import pino from 'pino';
import type { Config } from './config.ts';

export type Logger = pino.Logger;

/** Where a party's ID number can sit in what is logged: alone, in a party, in a form's parties. */
const ID_NUMBER_PATHS = ['idNumber', '*.idNumber', '*.*.idNumber', '*.*.*.idNumber'];

/** An 18-character resident ID number standing on its own (not inside a hash or a longer number). */
const RESIDENT_ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;

/**
 * ID numbers are personal data only the case's committee reads, so no log line shows one:
 * fields named so are redacted, and any resident ID number left in a line (in an error's
 * message, a failed query's parameters, a form's echoed values) is masked before it is written.
 */
export function withoutIdNumbers(line: string): string {
	return line.replace(RESIDENT_ID_NUMBER, '$1********$2');
}

/** The process's logger, to standard output unless another destination is given. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
	const options: pino.LoggerOptions = {
		level: config.logLevel,
		base: { app: 'tiaojie' },
		redact: ['password', '*.password', 'req.headers.cookie', ...ID_NUMBER_PATHS],
		hooks: { streamWrite: withoutIdNumbers }
	};
	return destination ? pino(options, destination) : pino(options);
}
