import { AppError } from '#shared/errors.ts';
import { onlineApplicationSchema } from '#shared/validation.ts';
import type { AddressThrottle } from '../auth/address-throttle.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { Secret } from '../notifications/secret.ts';
import type { Logger } from '../log.ts';
import { createCase, type CreatedCase } from './create-case.ts';
import { parseIntake } from './parse-intake.ts';

/**
 * A public application, without an account: it goes to the committee of its
 * village, and the applicant gets the case number and a private tracking link.
 * Anyone can send one, so each address may send a few an hour (every try
 * counts), each committee takes a bounded number a day, and the evidence of one
 * application has a total size. Without an address (no request: the demo seed)
 * there is no one to count.
 */
export async function applyOnline(
	app: { db: Db; config: Config; log: Logger; events: DomainEvents; applyThrottle: AddressThrottle },
	input: unknown,
	files: File[],
	ip: string | null
): Promise<CreatedCase> {
	const limits = app.config.apply;
	const retryAfterSeconds = ip ? app.applyThrottle.take(ip) : 0;
	if (retryAfterSeconds) throw new AppError('RATE_LIMITED', { retryAfterSeconds });
	// After each file's own checks, so that one file too large is told as such.
	const { data, uploads } = await parseIntake(onlineApplicationSchema, input, files);
	if (uploads.reduce((total, upload) => total + upload.size, 0) > limits.evidenceLimit) {
		throw new AppError('PAYLOAD_TOO_LARGE', { fields: { evidence: ['total_too_large'] } });
	}
	const created = await createCase(
		app,
		{
			intake: data,
			channel: 'online',
			submittedBy: { label: data.applicant.name },
			applicantLink: true,
			dailyCeiling: limits.maxPerCommittee,
			ip
		},
		uploads
	);
	if (created.trackingToken) {
		await app.events.emit('party.link_issued', {
			caseId: created.caseId,
			trackingToken: new Secret(created.trackingToken)
		});
	}
	return created;
}
