import { z } from 'zod';
import { MAX_SIGNATURE_BYTES } from './signing.ts';

/**
 * The rights and duties notice (当事人权利义务告知书): each party acknowledges the current
 * version of their committee's text before entering a mediation's joint space, and says whether
 * they agree to a public session (公开) or want it closed (不公开, 2002 Rules art. 29).
 */
export const SESSION_CHOICES = ['public', 'closed'] as const;
export type SessionChoice = (typeof SESSION_CHOICES)[number];

/** How an acknowledgement was given: on the party's own device (signed in, or invited), or on site on the mediator's. */
export const ACKNOWLEDGEMENT_WAYS = ['account', 'invitation', 'on_site'] as const;
export type AcknowledgementWay = (typeof ACKNOWLEDGEMENT_WAYS)[number];

/** The longest text a version may have, in each language. */
export const MAX_NOTICE_LENGTH = 20_000;

const id = z.uuid({ error: 'invalid' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'invalid');
const choice = z.enum(SESSION_CHOICES, { error: 'required' });

/** What a party acknowledges: the version they read (its hash), and their choice. */
export const acknowledgeNoticeSchema = z.object({ sha256, sessionChoice: choice });

/** What a mediator records for a party present in person: with the party's drawn signature, a PNG in base64. */
export const onSiteAcknowledgementSchema = z.object({
	caseId: id,
	partyId: id,
	sha256,
	sessionChoice: choice,
	signature: z
		.base64({ error: (issue) => (issue.input === undefined ? 'required' : 'invalid') })
		.min(1, 'required')
		.max(Math.ceil(MAX_SIGNATURE_BYTES / 3) * 4, 'too_large')
});

/** A new version of a committee's text: the Chinese text of record, and an English rendering if any. */
export const reviseNoticeSchema = z.object({
	committeeId: id,
	bodyZh: z.string({ error: 'required' }).trim().min(1, 'required').max(MAX_NOTICE_LENGTH, 'too_long'),
	bodyEn: z.string().trim().max(MAX_NOTICE_LENGTH, 'too_long').default('')
});

export const committeeIdSchema = z.object({ committeeId: id });

/** The text split into its paragraphs, as the pages show it. */
export const noticeParagraphs = (body: string) =>
	body
		.split(/\n\s*\n/)
		.map((paragraph) => paragraph.trim())
		.filter(Boolean);
