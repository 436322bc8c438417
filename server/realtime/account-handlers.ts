import { authorize } from '../auth/authorize.ts';
import type { Logger } from '../log.ts';
import { onCommand, type AppSocket } from './command-handler.ts';

export function registerAccountHandlers(log: Logger, socket: AppSocket): void {
	onCommand(log, socket, 'account:whoami', async () => ({ actor: authorize(socket.data.actor, 'account:use') }));
}
