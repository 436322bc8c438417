import { expect, test, zh } from '../support/e2e-test.ts';

const TOWN = '青石镇';
const LAST_BUILT_IN_CLAUSE = '本协议履行完毕后，各方当事人就本纠纷再无其他争议。';

test('an admin gives the town an agreement template of its own, then resets it to the built-in one', async ({
	page,
	loginAs
}) => {
	const clause = `被申请人于本协议生效之日起十日内拆除围墙（${Date.now().toString(36)}）`;
	const town = page.locator(`li[data-node="${TOWN}"]`);
	const village = page.locator('li[data-node="东村"]');
	const editor = page.getByRole('textbox', { name: zh('templates_editor_label') });
	await loginAs('admin');

	await test.step('open the templates page: the town uses the built-in template', async () => {
		await page.getByRole('link', { name: zh('nav_templates') }).click();
		await expect(page).toHaveURL('/admin/templates');
		await expect(page.getByRole('heading', { name: zh('templates_editing', { name: TOWN }) })).toBeVisible();
		await expect(town).toContainText(zh('templates_builtin'));
		await expect(editor.locator('h1')).toHaveText('人民调解协议书');
		await expect(page.getByRole('main')).toContainText('{{respondents}}');
	});

	await test.step('add a clause and save', async () => {
		await editor.getByText(LAST_BUILT_IN_CLAUSE).click();
		await page.keyboard.press('End');
		await page.keyboard.press('Enter');
		await page.keyboard.type(clause);
		await page.getByRole('button', { name: zh('templates_save') }).click();
		await expect(page.getByRole('status')).toHaveText(zh('templates_saved'));
		await expect(town).toContainText(zh('templates_own'));
		await expect(village).toContainText(zh('templates_inherits', { name: TOWN }));
	});

	await test.step('after a reload the clause is there, numbered after the others', async () => {
		await page.reload();
		await expect(editor.locator('ol > li')).toHaveText([/^（协议条款：/, '（协议条款）', LAST_BUILT_IN_CLAUSE, clause]);
		await expect(town).toContainText(zh('templates_own'));
	});

	await test.step('reset: the town uses the built-in template again', async () => {
		await page.getByRole('button', { name: zh('templates_reset') }).click();
		await expect(page.getByRole('status')).toHaveText(zh('templates_reset_done'));
		await expect(town).toContainText(zh('templates_builtin'));
		await expect(village).toContainText(zh('templates_builtin'));
		await expect(editor.locator('ol > li')).toHaveCount(3);
		await expect(editor).not.toContainText(clause);
		await expect(page.getByRole('button', { name: zh('templates_reset') })).toHaveCount(0);
	});
});
