/**
 * The documents of record a case's file holds besides the agreement
 * (../shared/notes/mediation-documents.md), each printed and sealed with the committee's key as
 * the agreement is, stored with its SHA-256 and recognised by /verify:
 * - `acceptance_register` (人民调解受理登记表): made when the case is accepted;
 * - `mediation_record` (人民调解记录): one per mediation session, signed by those present;
 * - `oral_agreement` (口头调解协议登记表): a simple dispute settled by word of mouth;
 * - `follow_up_record` (人民调解回访记录): one per follow-up visit after the agreement took effect;
 * - `case_file` (卷宗): the binder of them all, made when the case closes and on demand;
 * - `judicial_confirmation` (司法确认申请材料): the parties' joint application to the court, signed by
 *   both, with the agreement, the identity proofs and the service addresses bound in.
 */
export const DOCUMENT_KINDS = [
	'acceptance_register',
	'mediation_record',
	'oral_agreement',
	'follow_up_record',
	'case_file',
	'judicial_confirmation'
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Kinds a case holds many of side by side, each its own: a new one supersedes none. */
export const ACCUMULATING_KINDS: readonly DocumentKind[] = ['follow_up_record'];

/** What a seal of ours can be on: the agreement, or one of the documents. */
export const SEALED_KINDS = ['agreement', ...DOCUMENT_KINDS] as const;
export type SealedKind = (typeof SEALED_KINDS)[number];

/** A sealed document as the case page and the tracking page list it. */
export type CaseDocumentView = {
	id: string;
	kind: DocumentKind;
	/** The session a mediation record is of. */
	sessionId: string | null;
	sha256: string;
	pages: number;
	sealedAt: string;
	/** Set when a later document of the same kind (and session) replaced it. */
	supersededAt: string | null;
};
