import type { Locator, Page } from '@playwright/test';
import { expect, field, test, zh } from '../support/e2e-test.ts';

/**
 * The dashboard and the warnings of the demo town. The demo's 东村 land case
 * (accepted 40 days ago) is overdue, so the rules raised a warning for it
 * when it was accepted; the test below handles that warning and no other.
 */

const chart = (key: string) => `figure[data-chart="${zh(key)}"]`;

test('the dashboard shows the town in charts, and its figures drill down to the case list', async ({
	page,
	loginAs
}) => {
	test.slow();
	await loginAs('admin');
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_dashboard'), exact: true })
		.click();
	await expect(page).toHaveURL('/dashboard');
	await expect(page.getByRole('heading', { name: zh('dashboard_title'), level: 1 })).toBeVisible();

	await test.step('each breakdown is an ECharts chart, drawn in SVG', async () => {
		for (const key of [
			'dashboard_by_month',
			'dashboard_by_type',
			'dashboard_by_outcome',
			'dashboard_by_status',
			'dashboard_by_village'
		])
			await expect(page.locator(`${chart(key)} .canvas svg`)).toBeVisible();
		// The pie of dispute types has a slice per type the demo holds: land, neighbour, family, labour, contract, damages.
		await page.locator(`${chart('dashboard_by_type')} summary`).click();
		await expect(page.locator(`${chart('dashboard_by_type')} tbody tr`)).toHaveCount(6);
		await expect(page.locator('[data-figure="total"] strong')).not.toHaveText('0');
	});

	await test.step('the overdue figure opens exactly the overdue cases', async () => {
		const overdue = Number(await page.locator('[data-figure="overdue"] strong').textContent());
		expect(overdue).toBeGreaterThan(0);
		await page.locator('[data-figure="overdue"] a').click();
		await expect(page).toHaveURL(/\/cases\?from=\d{4}-\d\d&to=\d{4}-\d\d&deadline=overdue$/);
		await expect(page.locator('[data-drill-down]')).toBeVisible();
		await expect(page.locator('table.case-list tbody tr')).toHaveCount(overdue);
		await expect(page.locator('table.case-list tbody tr').first()).toContainText(zh('deadline_overdue'));
	});

	await test.step('a click on a village’s bar opens that village’s cases', async () => {
		await page.goBack();
		const villages = page.locator(chart('dashboard_by_village'));
		await expect(villages.locator('.canvas svg')).toBeVisible();
		// The table under the chart lists the villages in the order of the bars, top down. 西村 is the one no
		// other test files new cases in, so its count holds while they run.
		await villages.locator('summary').click();
		const names = (await villages.locator('tbody th').allTextContents()).map((name) => name.trim());
		const index = names.indexOf('西村');
		expect(index).toBeGreaterThanOrEqual(0);
		const count = Number(await villages.locator('tbody tr').nth(index).locator('td').first().textContent());
		await clickBar(page, villages, index);
		await expect(page).toHaveURL(/\/cases\?.*villageId=[0-9a-f-]{36}/);
		const rows = page.locator('table.case-list tbody tr');
		await expect(rows).toHaveCount(count);
		for (const row of await rows.all()) await expect(row).toContainText('西村');
	});
});

/** Clicks the `index`th bar from the top of a horizontal bar chart (ECharts draws the first category on top). */
async function clickBar(page: Page, figure: Locator, index: number) {
	const box = (await figure.locator('.canvas').boundingBox())!;
	// Bars are the filled shapes of a bar's height; axis lines and labels are thinner or text.
	const bars = await figure.locator('.canvas svg path').evaluateAll((paths) =>
		paths
			.map((path) => (path as SVGGraphicsElement).getBoundingClientRect())
			.filter((rect) => rect.width > 4 && rect.height > 4 && rect.height < 80)
			.map((rect) => ({ x: rect.x + rect.width / 2, y: rect.y + rect.height / 2, top: rect.y }))
			.sort((a, b) => a.top - b.top)
	);
	expect(bars.length).toBeGreaterThan(index);
	expect(bars[index].y).toBeGreaterThan(box.y);
	await page.mouse.click(bars[index].x, bars[index].y);
}

test('a warning is acknowledged, assigned and resolved, each step in its history', async ({ page, loginAs }) => {
	test.slow();
	await loginAs('admin');
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_warnings'), exact: true })
		.click();
	await expect(page).toHaveURL('/warnings');
	// The demo's only overdue case is the 东村 land case.
	const warning = page.locator('li[data-rule="deadline_overdue"]');
	await expect(warning).toHaveCount(1);
	await expect(warning).toContainText(zh('warning_rule_deadline_overdue'));
	const id = await warning.getAttribute('data-warning');
	const item = page.locator(`li[data-warning="${id}"]`);

	await test.step('acknowledge', async () => {
		await item.getByRole('button', { name: zh('warning_acknowledge') }).click();
		await expect(item.locator('[data-status]')).toHaveText(zh('warning_status_acknowledged'));
		await expect(item.getByRole('status')).toHaveText(zh('warnings_saved'));
	});

	await test.step('assign to a mediator', async () => {
		await item.getByLabel(zh('warning_assign_to')).selectOption({ label: '李明华' });
		await item.getByRole('button', { name: zh('warning_assign'), exact: true }).click();
		await expect(item).toContainText(`${zh('warning_assignee')}: 李明华`);
	});

	await test.step('resolving needs a note; with one, the warning leaves the open list', async () => {
		await item.getByRole('button', { name: zh('warning_resolve'), exact: true }).click();
		await expect(item.locator('.errors')).toHaveText(zh('field_required'));
		await expect(item.locator('[data-status]')).toHaveText(zh('warning_status_acknowledged'));
		await item.getByLabel(zh('warning_resolve_note')).fill('已督促调解员三日内结案');
		await item.getByRole('button', { name: zh('warning_resolve'), exact: true }).click();
		await expect(item).toHaveCount(0);
	});

	await test.step('the resolved list shows it with its history', async () => {
		await page.goto(`/warnings?status=resolved`);
		await expect(item.locator('[data-status]')).toHaveText(zh('warning_status_resolved'));
		await item.locator('summary').click();
		const history = item.locator('.history li');
		await expect(history).toHaveCount(3);
		await expect(history.nth(0)).toContainText(zh('warning_event_acknowledged', { actor: '王主任' }));
		await expect(history.nth(1)).toContainText(zh('warning_event_assigned', { actor: '王主任', assignee: '李明华' }));
		await expect(history.nth(2)).toContainText(
			zh('warning_event_resolved', { actor: '王主任', note: '已督促调解员三日内结案' })
		);
	});
});

test('an admin sets the thresholds; a bad value is named and nothing is saved', async ({ page, loginAs }) => {
	await loginAs('admin');
	await page.goto('/admin/warnings');
	await field(page, 'settings_repeat_window').fill('0');
	await page.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
	await expect(page.locator('.field.invalid .errors')).toHaveText(zh('field_invalid'));
	await page.reload();
	await expect(field(page, 'settings_repeat_window')).toHaveValue('30');
	await field(page, 'settings_repeat_window').fill('45');
	await page.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('status')).toHaveText(zh('settings_saved'));
	await page.reload();
	await expect(field(page, 'settings_repeat_window')).toHaveValue('45');
	await field(page, 'settings_repeat_window').fill('30');
	await page.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('status')).toHaveText(zh('settings_saved'));
});

test('grid workers and parties get no dashboard, warnings or exports', async ({ page, loginAs }) => {
	await loginAs('grid_worker');
	await expect(page.getByRole('banner').getByRole('link', { name: zh('nav_dashboard') })).toHaveCount(0);
	for (const path of ['/dashboard', '/warnings', '/admin/warnings', '/cases/export?format=csv', '/dashboard/report']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
	}
});

test('a party rates a mediation that has ended through their tracking link', async ({ page, otherPage, loginAs }) => {
	test.slow();
	// The demo's 东村二组 wage case (钱小兵 v 青石镇冯记生态养殖场) was resolved and closed: its mediator issues the applicant a link.
	await loginAs('mediator');
	await page.goto('/cases?disputeType=labour');
	await page.getByRole('row').filter({ hasText: '钱小兵' }).getByRole('link').first().click();
	const party = page.locator('li[data-party="钱小兵"]');
	await party.getByRole('button', { name: zh('case_issue_link') }).click();
	const link = await party.getByRole('textbox', { name: zh('case_link_issued', { name: '钱小兵' }) }).inputValue();

	await otherPage.goto(link);
	const survey = otherPage.locator('.survey');
	await expect(survey.getByRole('heading', { name: zh('survey_title') })).toBeVisible();
	await survey.getByRole('button', { name: zh('survey_submit') }).click();
	await expect(survey.getByRole('alert')).toHaveText(zh('error_validation'));
	await expect(survey.locator('.errors')).toHaveText(zh('field_required'));
	await survey.getByRole('radio', { name: zh('survey_score_4'), exact: true }).check();
	await survey.getByLabel(zh('survey_comment')).fill('调解员很耐心');
	await survey.getByRole('button', { name: zh('survey_submit') }).click();
	await expect(survey.getByRole('status')).toHaveText(zh('survey_thanks', { score: zh('survey_score_4') }));
	await otherPage.reload();
	await expect(survey.getByRole('button', { name: zh('survey_submit') })).toHaveCount(0);
	await expect(survey.getByRole('status')).toBeVisible();
	// The committee sees the answer in the case's audit log.
	await page.reload();
	await expect(page.locator('.case-timeline')).toContainText(zh('timeline_survey_answered', { actor: '钱小兵' }));
});
