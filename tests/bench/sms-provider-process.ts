/**
 * The Tencent Cloud SMS stand-in in a process of its own, at the lowest CPU priority: in
 * production the provider is another company's machine, so it must not take CPU from the app
 * being measured, nor share an event loop with the client timing its pages. Started with IPC by
 * the notifications benchmark: it sends its URL once, then answers each 'count' with what it has.
 */
import { constants, setPriority } from 'node:os';
import { tencentServer } from '../support/sms-servers.ts';

setPriority(constants.priority.PRIORITY_LOW);
const [secretId, secretKey] = process.argv.slice(2);
const provider = await tencentServer({ [secretId]: secretKey });
process.send!({ url: provider.url });
// Counted as messages arrive, not from all of them at each ask: ten asks a second over 10,000 would cost CPU the app is measured by.
const references = new Set<string>();
let counted = 0;
process.on('message', (message) => {
	if (message !== 'count') return;
	for (; counted < provider.received.length; counted++) references.add(provider.received[counted].reference);
	process.send!({ received: provider.received.length, distinct: references.size, refused: provider.refused.length });
});
process.on('disconnect', () => void provider.close().then(() => process.exit(0)));
