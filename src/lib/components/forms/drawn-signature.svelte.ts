import type { SubmitFunction } from '@sveltejs/kit';
import { onMount } from 'svelte';
import type SignaturePad from '$lib/components/drafting/signature-pad.svelte';

/**
 * A form signed with a signature drawn on the page: it travels with the form as a PNG file. The
 * page's script draws and sends it, so until that script runs (`ready`) the form cannot be sent.
 * Create it while the component initialises.
 */
export class DrawnSignatureForm {
	pad = $state<SignaturePad>();
	drawn = $state(false);
	/** Sent without a signature: the page says one is needed. */
	unsigned = $state(false);
	sending = $state(false);
	ready = $state(false);
	readonly #onFailure: (() => Promise<void>) | undefined;

	/** `onFailure`: what to do when the action refuses (say, load the page again as it now stands). */
	constructor(onFailure?: () => Promise<void>) {
		this.#onFailure = onFailure;
		onMount(() => {
			this.ready = true;
		});
	}

	submit: SubmitFunction = async ({ formData, cancel }) => {
		if (!this.drawn || !this.pad) {
			this.unsigned = true;
			return cancel();
		}
		this.unsigned = false;
		this.sending = true;
		formData.set(
			'signature',
			new File([(await this.pad.toPng()) as Uint8Array<ArrayBuffer>], 'signature.png', { type: 'image/png' })
		);
		return async ({ result, update }) => {
			this.sending = false;
			if (result.type === 'failure') await this.#onFailure?.();
			await update({ reset: false });
		};
	};
}
