import { textPattern } from '../support/e2e-messages.ts';
import { expect, field, HOME_HEADING, logIn, test, zh } from '../support/e2e-test.ts';

test('an admin builds a village committee and manages a mediator’s account from first log-in to deactivation', async ({
	page,
	otherPage: mediatorPage,
	loginAs
}) => {
	// Two browsers and a dozen steps, five of them argon2 hashes: more than the default time when the
	// other e2e workers share the machine's two cores.
	test.slow();
	const suffix = Date.now().toString(36);
	const village = `试验村${suffix}`;
	const committee = `${village}${zh('setup_committee_default')}`;
	const mediator = { username: `mediator-${suffix}`, displayName: '孙调解', password: 'my-own-password-1' };
	await loginAs('admin');

	await test.step('add a village under the town', async () => {
		const town = page.locator('li[data-node]').filter({ has: page.getByText(zh('org_kind_town'), { exact: true }) });
		await town.getByText(zh('admin_add_node')).click();
		const form = town.locator('form[action="?/addNode"]');
		await form.locator('select[name="kind"]').selectOption({ label: zh('org_kind_village') });
		await field(form, 'field_name').fill(village);
		await form.getByRole('button', { name: zh('admin_add_node_submit') }).click();
		await expect(page.getByRole('status')).toHaveText(zh('admin_node_created', { name: village }));
		await expect(page.locator(`li[data-node="${village}"]`)).toContainText(zh('admin_no_committee'));
	});

	await test.step('set up the village’s mediation committee', async () => {
		const node = page.locator(`li[data-node="${village}"]`);
		await node.getByText(zh('admin_add_committee')).click();
		const form = node.locator('form[action="?/addCommittee"]');
		await expect(field(form, 'field_name')).toHaveValue(committee);
		await form.getByRole('button', { name: zh('admin_add_committee_submit') }).click();
		await expect(page.locator(`li[data-node="${village}"]`)).toContainText(
			zh('admin_committee_named', { name: committee })
		);
	});

	let temporaryPassword = '';
	await test.step('create a mediator of that committee and read the temporary password', async () => {
		await page.getByRole('link', { name: zh('nav_users') }).click();
		await expect(page).toHaveURL('/admin/users');
		await page.getByText(zh('users_create'), { exact: true }).click();
		const form = page.locator('form[action="?/create"]');
		await field(form, 'field_username').fill(mediator.username);
		await field(form, 'field_display_name').fill(mediator.displayName);
		await form.locator('select[name="role"]').selectOption({ label: zh('role_mediator') });
		const villageOption = form.locator('select[name="orgNodeId"] option', { hasText: village });
		await form.locator('select[name="orgNodeId"]').selectOption((await villageOption.getAttribute('value'))!);
		await form.locator('select[name="committeeId"]').selectOption({ label: committee });
		await form.getByRole('button', { name: zh('users_create_submit') }).click();

		const notice = page.getByRole('status');
		const created = textPattern('zh-CN', 'users_created', { username: mediator.username }, 'password');
		await expect(notice).toHaveText(created);
		temporaryPassword = created.exec((await notice.textContent())!)![1];
		const row = page.locator(`tr[data-user="${mediator.username}"]`);
		await expect(row).toContainText(zh('role_mediator'));
		await expect(row).toContainText(committee);
		await expect(row).toContainText(zh('users_active'));
	});

	await test.step('the mediator logs in and must choose a password before anything else', async () => {
		await logIn(mediatorPage, mediator.username, temporaryPassword);
		await expect(mediatorPage).toHaveURL('/account');
		await expect(mediatorPage.getByText(zh('account_must_change'))).toBeVisible();
		await mediatorPage.goto('/mediator');
		await expect(mediatorPage).toHaveURL('/account');

		await field(mediatorPage, 'field_current_password').fill(temporaryPassword);
		await field(mediatorPage, 'field_new_password').fill(mediator.password);
		await field(mediatorPage, 'field_password_confirm').fill(mediator.password);
		await mediatorPage.getByRole('button', { name: zh('account_submit') }).click();
		await expect(mediatorPage.getByRole('status')).toContainText(zh('account_password_changed'));
		await mediatorPage
			.getByRole('status')
			.getByRole('link', { name: zh('nav_home') })
			.click();
		await expect(mediatorPage).toHaveURL('/mediator');
		await expect(mediatorPage.getByRole('heading', { level: 1 })).toHaveText(zh(HOME_HEADING.mediator));
		await expect(mediatorPage.getByRole('main')).toContainText(committee);
	});

	await test.step('the admin deactivates the mediator, which ends their session and log-in', async () => {
		const row = page.locator(`tr[data-user="${mediator.username}"]`);
		page.once('dialog', (dialog) => void dialog.accept());
		await row.getByRole('button', { name: zh('users_deactivate') }).click();
		await expect(page.locator(`tr[data-user="${mediator.username}"]`)).toContainText(zh('users_inactive'));

		await mediatorPage.reload();
		await expect(mediatorPage).toHaveURL(`/login?next=${encodeURIComponent('/mediator')}`);
		await logIn(mediatorPage, mediator.username, mediator.password);
		await expect(mediatorPage.getByRole('alert')).toHaveText(zh('error_invalid_credentials'));
	});
});
