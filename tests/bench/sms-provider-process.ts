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
process.on('message', (message) => {
	if (message !== 'count') return;
	process.send!({
		received: provider.received.length,
		distinct: new Set(provider.received.map((r) => r.reference)).size,
		refused: provider.refused.length
	});
});
process.on('disconnect', () => void provider.close().then(() => process.exit(0)));
