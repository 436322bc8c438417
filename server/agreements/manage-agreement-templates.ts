import type { JSONContent } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { eq, inArray, like, or } from 'drizzle-orm';
import { agreementSchema } from '#shared/agreement-schema.ts';
import { AppError } from '#shared/errors.ts';
import { COMMITTEE_KINDS, type OrgKind } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import { agreementTemplateSchema, orgNodeIdSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { agreementTemplates, orgNodes, users } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { listOrgTree } from '../orgs/list-org-tree.ts';
import { nodeInScope, scopeRoot, type OrgNode } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';
import { effectiveTemplate, pathIds } from './agreement-template.ts';
import { unknownPlaceholders } from './fill-template.ts';

/** Who last saved a node's own template, and when. */
export type OwnTemplate = { updatedAt: Date; updatedByName: string };

export type TemplateNode = {
	id: string;
	name: string;
	kind: OrgKind;
	depth: number;
	own: OwnTemplate | null;
	/** Without a template of its own: the node whose template applies, or null for the built-in one. */
	inheritsFrom: { id: string; name: string } | null;
};

export type TemplateDetail = {
	node: { id: string; name: string; kind: OrgKind };
	own: OwnTemplate | null;
	/** The template that applies here, and whose it is (null: the built-in one). */
	body: JSONContent;
	source: { id: string; name: string } | null;
	unknownPlaceholders: string[];
};

const templatesOf = (db: Db) =>
	db
		.select({
			orgNodeId: agreementTemplates.orgNodeId,
			name: orgNodes.name,
			updatedAt: agreementTemplates.updatedAt,
			updatedByName: users.displayName
		})
		.from(agreementTemplates)
		.innerJoin(orgNodes, eq(orgNodes.id, agreementTemplates.orgNodeId))
		.innerJoin(users, eq(users.id, agreementTemplates.updatedById));

/**
 * The organisations in the admin's subtree that can have a template (those that can hold a
 * committee), in tree order, each with its own template or the one it inherits.
 */
export async function listAgreementTemplates(db: Db, actor: Actor): Promise<TemplateNode[]> {
	authorize(actor, 'org:manage');
	const root = await scopeRoot(db, actor);
	const [tree, paths, templates] = await Promise.all([
		listOrgTree(db, actor),
		db
			.select({ id: orgNodes.id, path: orgNodes.path })
			.from(orgNodes)
			.where(like(orgNodes.path, `${root.path}%`)),
		// The subtree's templates and those above it, which it inherits.
		templatesOf(db).where(or(like(orgNodes.path, `${root.path}%`), inArray(orgNodes.id, pathIds(root.path))))
	]);
	const pathOf = new Map(paths.map((node) => [node.id, node.path]));
	const templateOf = new Map(templates.map((template) => [template.orgNodeId, template]));
	return tree
		.filter((node) => COMMITTEE_KINDS.includes(node.kind))
		.map((node) => {
			const own = templateOf.get(node.id);
			const ancestors = pathIds(pathOf.get(node.id) ?? '').slice(0, -1);
			const nearest = ancestors.reverse().find((id) => templateOf.has(id));
			const inherited = nearest ? templateOf.get(nearest)! : undefined;
			return {
				id: node.id,
				name: node.name,
				kind: node.kind,
				depth: node.depth,
				own: own ? { updatedAt: own.updatedAt, updatedByName: own.updatedByName } : null,
				inheritsFrom: own || !inherited ? null : { id: inherited.orgNodeId, name: inherited.name }
			};
		});
}

/** A node of the admin's subtree that can have a template. */
async function templateNode(db: Db, actor: Actor, orgNodeId: string): Promise<OrgNode> {
	const node = await nodeInScope(db, actor, orgNodeId);
	if (!COMMITTEE_KINDS.includes(node.kind)) throw new AppError('VALIDATION', { fields: { orgNodeId: ['invalid'] } });
	return node;
}

/** The template that applies at one node of the admin's subtree, for the editor. */
export async function getAgreementTemplate(db: Db, actor: Actor, input: unknown): Promise<TemplateDetail> {
	authorize(actor, 'org:manage');
	const { orgNodeId } = parseInput(orgNodeIdSchema, input);
	const node = await templateNode(db, actor, orgNodeId);
	const [[own], applied] = await Promise.all([
		templatesOf(db).where(eq(agreementTemplates.orgNodeId, node.id)),
		effectiveTemplate(db, node.path)
	]);
	return {
		node: { id: node.id, name: node.name, kind: node.kind },
		own: own ? { updatedAt: own.updatedAt, updatedByName: own.updatedByName } : null,
		body: applied.body,
		source: applied.source,
		unknownPlaceholders: unknownPlaceholders(applied.body)
	};
}

/** The posted body as an agreement document, or a VALIDATION error on `body`. */
function agreementDocument(body: string): JSONContent {
	const invalid = (code: 'invalid' | 'required', cause?: unknown) =>
		new AppError('VALIDATION', { fields: { body: [code] }, cause });
	let doc: Node;
	try {
		const schema = agreementSchema();
		doc = Node.fromJSON(schema, JSON.parse(body));
		if (doc.type !== schema.topNodeType) throw new RangeError(`A template is a document, not a ${doc.type.name}`);
		doc.check();
	} catch (error) {
		throw invalid('invalid', error);
	}
	if (doc.textContent.trim() === '') throw invalid('required');
	return doc.toJSON() as JSONContent;
}

/** Gives an organisation a template of its own, used for its committee's new agreements and those below it. */
export async function saveAgreementTemplate(app: { db: Db; log: Logger }, actor: Actor, input: unknown): Promise<void> {
	authorize(actor, 'org:manage');
	const { orgNodeId, body } = parseInput(agreementTemplateSchema, input);
	const node = await templateNode(app.db, actor, orgNodeId);
	const doc = agreementDocument(body);
	const saved = { body: doc, updatedById: actor.id, updatedAt: new Date() };
	await app.db
		.insert(agreementTemplates)
		.values({ orgNodeId: node.id, ...saved })
		.onConflictDoUpdate({ target: agreementTemplates.orgNodeId, set: saved });
	app.log.info({ actorId: actor.id, orgNodeId: node.id, bytes: Buffer.byteLength(body) }, 'agreement template saved');
}

/** Drops an organisation's own template: it inherits the one above it (or the built-in one) again. */
export async function resetAgreementTemplate(
	app: { db: Db; log: Logger },
	actor: Actor,
	input: unknown
): Promise<void> {
	authorize(actor, 'org:manage');
	const { orgNodeId } = parseInput(orgNodeIdSchema, input);
	const node = await templateNode(app.db, actor, orgNodeId);
	const removed = await app.db
		.delete(agreementTemplates)
		.where(eq(agreementTemplates.orgNodeId, node.id))
		.returning({ orgNodeId: agreementTemplates.orgNodeId });
	if (removed.length) app.log.info({ actorId: actor.id, orgNodeId: node.id }, 'agreement template reset');
}
