import { describeChannels } from '#server/notifications/channels/channels.ts';
import {
	countNotificationsByStatus,
	listFailedNotifications,
	listTestNotifications
} from '#server/notifications/list-notifications.ts';
import { listPinDeliveries, setPinDelivery } from '#server/notifications/pin-delivery.ts';
import { resendNotification } from '#server/notifications/resend-notification.ts';
import { sendTestMessage } from '#server/notifications/send-test-message.ts';
import { clientOf, formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { NOTIFICATION_KIND_NAMES } from '$lib/shared/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'settings:manage');
	const { db, config, notifications } = event.locals.app;
	const [failed, tests, counts, committees, queue] = await Promise.all([
		listFailedNotifications(db, actor),
		listTestNotifications(db, actor),
		countNotificationsByStatus(db),
		listPinDeliveries(db, actor),
		notifications.queue.depth()
	]);
	return {
		// What is configured, never a secret (describeChannels masks the key id and drops passwords).
		channels: describeChannels(config.notifications, NOTIFICATION_KIND_NAMES),
		failed,
		tests,
		counts,
		committees,
		queue
	};
};

/** Each form says which it was, so the page shows its outcome beside it. */
const act =
	(form: string, work: (event: Parameters<Actions[string]>[0], values: Record<string, string>) => Promise<unknown>) =>
	async (event: Parameters<Actions[string]>[0]) => {
		requirePermission(event, 'settings:manage');
		const values = await readForm(event.request);
		return formAction({ ...values, form }, async () => {
			await work(event, values);
			return { done: form };
		});
	};

export const actions: Actions = {
	test: act('test', (event, values) => sendTestMessage(event.locals.app, event.locals.actor!, values)),
	retry: act('retry', (event, values) =>
		resendNotification(event.locals.app, event.locals.actor!, values, clientOf(event).ip)
	),
	pin: act('pin', (event, values) => setPinDelivery(event.locals.app.db, event.locals.actor!, values))
};
