import type { Logger } from '../log.ts';
import type { LiveRooms, RoomSeat } from '../sessions/live-rooms.ts';
import { onCommand, type AppSocket } from './command-handler.ts';
import {
	ROOM_COMMAND_NAMES,
	runRoomCommand,
	type RoomCommandName,
	type RoomCommandPayload,
	type RoomCommandResult
} from './room-commands.ts';

/** Who runs a socket's room commands: this process, or in a cluster the process owning its room (server/cluster). */
export type RoomCommandRunner = {
	run<E extends RoomCommandName>(
		socket: AppSocket,
		seat: RoomSeat,
		event: E,
		payload: RoomCommandPayload<E>
	): Promise<RoomCommandResult<E>>;
	/** The socket disconnected. */
	drop(socket: AppSocket, seat: RoomSeat): void;
};

/** The room commands run here, on this process's live rooms. */
export function localRoomCommands(rooms: LiveRooms): RoomCommandRunner {
	return {
		run: (_socket, seat, event, payload) => runRoomCommand(rooms, seat, event, payload),
		drop: (_socket, seat) => rooms.drop(seat)
	};
}

/** The `room:*` commands of one connection (server/realtime/room-commands.ts), run by the runner as the connection's seat. */
export function registerRoomHandlers(log: Logger, socket: AppSocket, runner: RoomCommandRunner, seat: RoomSeat): void {
	for (const event of ROOM_COMMAND_NAMES) {
		onCommand(log, socket, event, (payload) => runner.run(socket, seat, event, payload));
	}
	socket.on('disconnect', () => runner.drop(socket, seat));
}
