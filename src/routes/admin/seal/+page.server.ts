import { importSeal } from '#server/signing/seal-keys/import-seal.ts';
import { listSeals } from '#server/signing/seal-keys/list-seals.ts';
import { renewSeal } from '#server/signing/seal-keys/renew-seal.ts';
import { MAX_P12_BYTES } from '#server/signing/seal-keys/seal-key.ts';
import { badRequest, formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'org:manage');
	return { nodes: await listSeals(event.locals.app.db, actor), maxP12Kb: MAX_P12_BYTES / 1024 };
};

export const actions: Actions = {
	import: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		let data: FormData;
		try {
			data = await event.request.formData();
		} catch {
			badRequest();
		}
		const orgNodeId = data.get('orgNodeId') ?? undefined;
		const input = { orgNodeId, passphrase: data.get('passphrase') ?? undefined, p12: data.get('p12') ?? undefined };
		// Only the node goes back with a failure: never the passphrase.
		const kept: Record<string, string> = typeof orgNodeId === 'string' ? { orgNodeId } : {};
		const result = await formAction(kept, () => importSeal(event.locals.app, actor, input));
		return 'certificate' in result ? { done: 'import' as const } : result;
	},
	generate: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		const result = await formAction(values, () => renewSeal(event.locals.app, actor, values));
		return 'id' in result ? { done: 'generate' as const } : result;
	}
};
