import { authorize } from '../auth/authorize.ts';
import type { Logger } from '../log.ts';
import { onCommand, type AppSocket } from './command-handler.ts';

export function registerAccountHandlers(core: { log: Logger }, socket: AppSocket): void {
	onCommand(core, socket, 'account:whoami', async () => ({ actor: authorize(socket.data.actor, 'account:use') }));
}
