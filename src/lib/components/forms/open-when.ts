/**
 * For a `<details>` that holds a form: `<details {...openWhen(failed)}>` renders it open when the
 * server has something to show in it (a refused submission), and otherwise leaves it as the person
 * left it. A plain `open={failed}` would be set again as the page's scripts load, closing a section
 * someone opened, and began to fill in, on a slow phone before they had.
 */
export function openWhen(open: boolean): { open?: true } {
	return open ? { open: true } : {};
}
