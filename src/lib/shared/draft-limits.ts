/**
 * Everything a draft and the messages about it may hold. The document's limits keep every stored
 * draft one that versions, freezing, the PDF and the browser's editor can read (a list nested
 * thousands deep overflows their stacks); they are checked against the draft as an update would
 * leave it.
 */
export const DRAFT_LIMITS = {
	/** Elements inside one another: a clause list nested fifteen levels deep still fits. */
	depth: 32,
	/** Elements and texts in the whole agreement: a few thousand paragraphs. */
	nodes: 20_000,
	/** Characters in one text (a paragraph): a whole agreement pasted as one paragraph fits. */
	textLength: 200_000,
	/** The whole draft as Yjs encodes it, its history of deletions included. */
	bytes: 4 * 1024 * 1024,
	/** One Yjs update a client sends: a pasted agreement of about 100 pages fits. */
	updateBytes: 512 * 1024,
	/** One awareness update (cursor, selection, name). */
	awarenessBytes: 16 * 1024,
	/** Yjs client ids one connection shows presence for (an editor has one). */
	presenceClients: 4,
	commentLength: 2000,
	/** Comments on one draft, resolved ones included. */
	comments: 200,
	/** Comments one person may post on a draft in a minute. */
	commentsPerMinute: 10,
	versionNameLength: 80
} as const;
/** The limits a draft's document is measured against. */
export const DOCUMENT_LIMITS = ['depth', 'nodes', 'textLength', 'bytes'] as const;
export type DraftMeasure = Record<(typeof DOCUMENT_LIMITS)[number], number>;
