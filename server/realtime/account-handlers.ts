import type { AppCore } from '../app.ts';
import { authorize } from '../auth/authorize.ts';
import { onCommand, type AppSocket } from './command-handler.ts';

export function registerAccountHandlers(core: AppCore, socket: AppSocket): void {
	onCommand(core, socket, 'account:whoami', async () => ({ actor: authorize(socket.data.actor, 'account:use') }));
}
