import { joinWithDevices } from '../support/e2e-room.ts';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';

/**
 * The mediation record of the demo's 西村 land case (赵春兰 v 钱国华, handled by 张秀英, recorded
 * by 孙丽): its mediation failed, its record was signed by everyone and sealed. Only this file
 * uses that case; it reads it and changes nothing.
 */
const RESPONDENT = '钱国华';

test('a failed mediation: its sealed record on the case page, in a page of its own, and in the room beside the agreement', async ({
	page,
	demo
}, testInfo) => {
	test.setTimeout(120_000);
	await logIn(page, 'mediator2', demo.password);
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: RESPONDENT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);

	const session = page.locator('section[aria-labelledby="case-sessions"] li[data-session]').first();
	const record = session.locator('.session-record');
	await expect(record).toHaveAttribute('data-record-status', 'sealed');
	await expect(record).toContainText(zh('case_record_sealed'));
	await expect(record).toContainText(zh('record_result_failed'));

	await record.getByRole('link', { name: zh('case_record_open') }).click();
	await expect(page).toHaveURL(/\/agreement\?session=/);
	const header = page.locator('.record-header');
	for (const name of ['赵春兰', RESPONDENT, '孙丽', '张秀英']) await expect(header).toContainText(name);
	await expect(header.locator('.outcome-set')).toHaveAttribute('data-result', 'failed');
	const editor = page.getByRole('textbox', { name: zh('draft_editor_label') });
	await expect(editor).toContainText('调查核实情况');
	// Frozen and sealed: nobody writes it any more.
	await expect(editor).toHaveAttribute('contenteditable', 'false');
	await page.screenshot({ path: testInfo.outputPath('record-page.png'), fullPage: true });

	await page.goBack();
	await session.getByRole('link', { name: zh('session_enter_room') }).click();
	await joinWithDevices(page);
	await page.getByRole('button', { name: zh('draft_show') }).click();
	await page.getByRole('tab', { name: zh('room_tab_record') }).click();
	await expect(page.locator('#room-draft .record-header')).toContainText('赵春兰');
	await expect(page.getByRole('heading', { name: zh('record_title') })).toBeVisible();
	await page.screenshot({ path: testInfo.outputPath('room-record.png'), fullPage: true });
	await page.getByRole('tab', { name: zh('room_tab_agreement') }).click();
	await expect(
		page.locator('#room-draft [data-kind="agreement"], #room-draft [data-unavailable]').first()
	).toBeVisible();
});
