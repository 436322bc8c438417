import type { Locator, Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';

// The first test starts the draft the second finds in the room.
test.describe.configure({ mode: 'serial' });

/**
 * Writing the agreement together, in two browsers. Only this file uses the 南湾 shop-renovation
 * case (刘大伟 v 黄志明, accepted, handled by 张秀英 of the town committee; 刘大伟 is the demo
 * party account): it starts the case's draft, and everything the draft keeps.
 */
const MEDIATOR = '张秀英';
const APPLICANT = '刘大伟';
const RESPONDENT = '黄志明';

const editorOf = (scope: Page | Locator) => scope.getByRole('textbox', { name: zh('draft_editor_label') });
const statusOf = (page: Page) => page.locator('.agreement-editor [data-status]');
const versionsOf = (page: Page) => page.locator('.draft-versions');
const commentsOf = (page: Page) => page.locator('.draft-comments');

/** Puts the caret at the end of the agreement and writes a new paragraph there. */
async function writeAtEnd(page: Page, text: string): Promise<void> {
	const editor = editorOf(page);
	await editor.click();
	await page.keyboard.press('Control+End');
	await page.keyboard.press('Enter');
	await page.keyboard.type(text);
	await expect(editor).toContainText(text);
}

/** Opens the case from the case list and returns the address of its agreement page. */
async function openCase(page: Page): Promise<string> {
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: RESPONDENT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	return `${new URL(page.url()).pathname}/agreement`;
}

/** The next confirm() of `page` is answered yes. */
const acceptNextDialog = (page: Page) => page.once('dialog', (dialog) => void dialog.accept());

test('a mediator and a party write the agreement together: presence, comments, edit right, versions, diff, freezing', async ({
	page,
	otherPage: party,
	demo
}) => {
	// Two browsers and a dozen steps, one of them waiting for the party's page to ask again.
	test.setTimeout(180_000);
	let agreementPath = '';

	await test.step('the party opens the agreement before the mediator started it and is told so', async () => {
		await logIn(page, 'mediator2', demo.password);
		await expect(page).toHaveURL('/mediator');
		agreementPath = await openCase(page);

		await logIn(party, 'party', demo.password);
		await expect(party).toHaveURL('/party');
		await party.goto(agreementPath);
		await expect(party.getByText(zh('draft_not_started'))).toBeVisible();
	});

	await test.step('the mediator opens it from the case page: the template, filled in with the case', async () => {
		await page.getByRole('link', { name: zh('draft_open') }).click();
		await expect(page).toHaveURL(agreementPath);
		const editor = editorOf(page);
		await expect(editor).toContainText('人民调解协议书');
		await expect(editor).toContainText(APPLICANT);
		await expect(editor).toContainText(RESPONDENT);
		await expect(editor).toContainText('门面房');
		await expect(editor).toHaveAttribute('contenteditable', 'true');
		await expect(statusOf(page)).toHaveAttribute('data-status', 'saved');
	});

	await test.step('the party’s page finds the draft once started; both see who is in it', async () => {
		await expect(editorOf(party)).toContainText(RESPONDENT, { timeout: 20_000 });
		for (const viewer of [page, party]) {
			for (const name of [MEDIATOR, APPLICANT])
				await expect(viewer.locator(`.present [data-person="${name}"]`)).toBeVisible();
		}
	});

	await test.step('what the mediator types appears for the party, who may not type', async () => {
		await writeAtEnd(page, '双方确认：被申请人于十五日内完工。');
		await expect(editorOf(party)).toContainText('双方确认：被申请人于十五日内完工。');
		await expect(statusOf(page)).toHaveAttribute('data-status', 'saved');

		await expect(party.getByText(zh('draft_access_party'))).toBeVisible();
		const editor = editorOf(party);
		await expect(editor).toHaveAttribute('contenteditable', 'false');
		await expect(party.getByRole('button', { name: zh('draft_bold') })).toHaveCount(0);
		await editor.click();
		await party.keyboard.type('擅自修改');
		await expect(editor).not.toContainText('擅自修改');
		await expect(editorOf(page)).not.toContainText('擅自修改');
	});

	await test.step('the party suggests a change, quoting the text selected; the mediator sees it and resolves it', async () => {
		await editorOf(party).getByText('双方确认：被申请人于十五日内完工。').selectText();
		const comments = commentsOf(party);
		await expect(comments.locator('.quote')).toHaveText('双方确认：被申请人于十五日内完工。');
		await comments.getByLabel(zh('draft_comment_kind_suggestion')).check();
		await comments.getByLabel(zh('draft_comment_body')).fill('工期请改为十日。');
		await comments.getByRole('button', { name: zh('draft_comment_submit') }).click();
		await expect(comments.getByRole('status')).toHaveText(zh('draft_comment_sent'));

		const seen = commentsOf(page).locator('li[data-comment-kind="suggestion"]', { hasText: '工期请改为十日。' });
		await expect(seen).toContainText(APPLICANT);
		await expect(seen.locator('.quote')).toHaveText('双方确认：被申请人于十五日内完工。');
		await seen.getByRole('button', { name: zh('draft_comment_resolve') }).click();
		await expect(
			commentsOf(party).locator('li', { hasText: '工期请改为十日。' }).getByText(zh('draft_comment_resolved'))
		).toBeVisible();
	});

	await test.step('the mediator rewrites the quoted text: the comment shows its quote as outdated', async () => {
		const quoted = commentsOf(party).locator('li', { hasText: '工期请改为十日。' });
		await expect(quoted.locator('.quote')).not.toHaveClass(/outdated/);
		await editorOf(page).getByText('双方确认：被申请人于十五日内完工。').selectText();
		await page.keyboard.type('双方确认：被申请人于十日内完工。');
		await expect(editorOf(party)).toContainText('双方确认：被申请人于十日内完工。');
		for (const viewer of [page, party]) {
			const comment = commentsOf(viewer).locator('li', { hasText: '工期请改为十日。' });
			await expect(comment.locator('.quote')).toHaveClass(/outdated/);
			await expect(comment).toContainText(zh('draft_comment_quote_outdated'));
		}
	});

	await test.step('the mediator lets the parties edit: the party types and the mediator sees it', async () => {
		await page.getByLabel(zh('draft_parties_may_edit')).check();
		await expect(party.getByText(zh('draft_access_party_edit'))).toBeVisible();
		await expect(editorOf(party)).toHaveAttribute('contenteditable', 'true');
		await writeAtEnd(party, '申请人同意工期改为十日。');
		await expect(editorOf(page)).toContainText('申请人同意工期改为十日。');
		await expect(statusOf(party)).toHaveAttribute('data-status', 'saved');
	});

	await test.step('who wrote what: each part under its author’s name', async () => {
		await page.getByRole('button', { name: zh('draft_authorship') }).click();
		const authorship = page.locator('.authorship');
		await expect(authorship.locator(`.run[data-author="${APPLICANT}"]`)).toHaveText('申请人同意工期改为十日。');
		await expect(authorship.locator(`.run[data-author="${MEDIATOR}"]`).first()).toContainText('人民调解协议书');
		await expect(authorship.locator('.legend')).toContainText(APPLICANT);
		await page.getByRole('button', { name: zh('draft_authorship') }).click();
		await expect(authorship).toHaveCount(0);
	});

	await test.step('save a version, change the text, and compare: the change is marked', async () => {
		const versions = versionsOf(page);
		await versions.getByLabel(zh('draft_version_name')).fill('初稿');
		await versions.getByRole('button', { name: zh('draft_version_save') }).click();
		await expect(versions.getByRole('status')).toHaveText(zh('draft_version_saved', { name: '初稿' }));
		await expect(versionsOf(party).locator('li[data-version="初稿"]')).toBeVisible();

		await writeAtEnd(page, '逾期每日按五十元计付违约金。');
		await expect(statusOf(page)).toHaveAttribute('data-status', 'saved');
		await versions.getByRole('button', { name: zh('draft_compare_submit') }).click();
		const diff = versions.locator('.diff');
		await expect(diff.locator('ins')).toHaveText(['逾期每日按五十元计付违约金。']);
		await expect(diff.locator('del')).toHaveCount(0);
		// The change reads in its place: the line before it, and only the count of the lines above.
		await expect(diff).toContainText('申请人同意工期改为十日。');
		await expect(diff.locator('.skipped')).toHaveText(/\d+/);
		await expect(diff).not.toContainText('人民调解协议书');
	});

	await test.step('freeze a version for signing: both see it frozen, with its SHA-256', async () => {
		const versions = versionsOf(page);
		await versions.getByLabel(zh('draft_version_name')).fill('定稿');
		await versions.getByRole('button', { name: zh('draft_version_save') }).click();
		await expect(versions.locator('li[data-version="定稿"]')).toBeVisible();
		acceptNextDialog(page);
		await versions
			.locator('li[data-version="定稿"]')
			.getByRole('button', { name: zh('draft_version_freeze') })
			.click();
		for (const viewer of [page, party]) {
			const frozen = viewer.locator('.frozen-notice');
			await expect(frozen).toContainText(zh('draft_frozen', { name: '定稿' }));
			await expect(frozen.locator('code')).toHaveText(/^SHA-256 [0-9a-f]{16}…$/);
			await expect(viewer.locator('.unfrozen-notice')).toHaveCount(0);
		}
	});

	await test.step('frozen means frozen: no editor takes a change, and there is no toolbar', async () => {
		for (const viewer of [page, party]) {
			await expect(editorOf(viewer)).toHaveAttribute('contenteditable', 'false');
			await expect(viewer.locator('.agreement-editor [role="toolbar"] button:not(.authors-toggle)')).toHaveCount(0);
			await expect(viewer.locator('.frozen-notice')).toContainText(zh('draft_frozen_read_only'));
		}
		await expect(party.getByRole('button', { name: zh('draft_unfreeze') })).toHaveCount(0);
	});

	await test.step('the mediator unfreezes, confirming that signatures are void: both pages say so, and write again', async () => {
		let asked = '';
		page.once('dialog', (dialog) => {
			asked = dialog.message();
			void dialog.accept();
		});
		await page.getByRole('button', { name: zh('draft_unfreeze') }).click();
		await expect.poll(() => asked).toBe(zh('draft_unfreeze_confirm', { name: '定稿' }));
		for (const viewer of [page, party]) {
			await expect(viewer.locator('.unfrozen-notice')).toHaveText(zh('draft_unfrozen_notice', { name: '定稿' }));
			await expect(viewer.locator('.frozen-notice')).toHaveCount(0);
			await expect(editorOf(viewer)).toHaveAttribute('contenteditable', 'true');
		}
		await writeAtEnd(page, '补充：验收合格后付清余款。');
		await expect(editorOf(party)).toContainText('补充：验收合格后付清余款。');
		// Someone arriving later is told as well.
		await party.reload();
		await expect(party.locator('.unfrozen-notice')).toHaveText(zh('draft_unfrozen_notice', { name: '定稿' }));
	});

	await test.step('restoring the first version brings its text back for everyone', async () => {
		acceptNextDialog(page);
		await versionsOf(page)
			.locator('li[data-version="初稿"]')
			.getByRole('button', { name: zh('draft_version_restore') })
			.click();
		await expect(versionsOf(page).getByRole('status')).toHaveText(zh('draft_version_restored', { name: '初稿' }));
		for (const viewer of [page, party]) {
			await expect(editorOf(viewer)).not.toContainText('逾期每日按五十元计付违约金。');
			await expect(editorOf(viewer)).toContainText('申请人同意工期改为十日。');
		}
	});
});

test('in the room the agreement opens beside the video: the mediator writes there, the party reads it on the agreement page', async ({
	page,
	otherPage: party,
	demo
}) => {
	test.setTimeout(120_000);
	await logIn(page, 'mediator2', demo.password);
	await expect(page).toHaveURL('/mediator');
	const agreementPath = await openCase(page);

	await test.step('the mediator schedules a mediation and enters its room', async () => {
		const sessions = page.locator('section[aria-labelledby="case-sessions"]');
		await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
		const form = sessions.locator('form[action*="scheduleSession"]');
		const soon = new Date(Date.now() + 3_600_000);
		const pad = (n: number) => String(n).padStart(2, '0');
		await form
			.getByLabel(zh('session_time'), { exact: true })
			.fill(
				`${soon.getFullYear()}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}T${pad(soon.getHours())}:${pad(soon.getMinutes())}`
			);
		await form.getByLabel(zh('session_title')).fill('装修纠纷调解');
		await form.locator('label.choice', { hasText: APPLICANT }).locator('input').check();
		await form.locator('button[type="submit"]').click();
		await sessions
			.locator('li[data-session]', { hasText: '装修纠纷调解' })
			.getByRole('link', { name: zh('session_enter_room') })
			.click();
		await page.getByRole('button', { name: zh('device_join_listen_only') }).click();
		await expect(page.locator('section.room[data-phase="joined"][data-space="joint"]')).toBeVisible();
	});

	await test.step('the agreement opens beside the video, with the draft as the last test left it', async () => {
		await expect(editorOf(page)).toHaveCount(0);
		await page.getByRole('button', { name: zh('draft_show') }).click();
		const draft = page.locator('section.draft');
		await expect(draft.getByRole('heading', { name: zh('draft_title') })).toBeVisible();
		await expect(editorOf(draft)).toContainText('申请人同意工期改为十日。');
		await expect(page.locator('.stage, figure.tile').first()).toBeVisible();
	});

	await test.step('what the mediator writes in the room, the party reads on the agreement page', async () => {
		await logIn(party, 'party', demo.password);
		await expect(party).toHaveURL('/party');
		await party.goto(agreementPath);
		await expect(party.locator(`.present [data-person="${MEDIATOR}"]`)).toBeVisible();
		await expect(page.locator(`section.draft .present [data-person="${APPLICANT}"]`)).toBeVisible();
		await writeAtEnd(page, '本协议在调解会议中确认。');
		await expect(editorOf(party)).toContainText('本协议在调解会议中确认。');
	});

	await test.step('hiding the agreement leaves the room as it was', async () => {
		await page.getByRole('button', { name: zh('draft_hide') }).click();
		await expect(page.locator('section.draft')).toHaveCount(0);
		await expect(party.locator(`.present [data-person="${MEDIATOR}"]`)).toHaveCount(0);
	});
});

test('an admin reads the draft and its comments, and has no form to comment with', async ({ page, loginAs }) => {
	await loginAs('admin');
	await page.goto(await openCase(page));
	await expect(editorOf(page)).toContainText('申请人同意工期改为十日。');
	await expect(page.getByText(zh('draft_access_read'))).toBeVisible();
	await expect(editorOf(page)).toHaveAttribute('contenteditable', 'false');
	const comments = commentsOf(page);
	await expect(comments.locator('li', { hasText: '工期请改为十日。' })).toBeVisible();
	await expect(comments.locator('form')).toHaveCount(0);
	await expect(comments.getByLabel(zh('draft_comment_body'))).toHaveCount(0);
});
