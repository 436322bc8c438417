import type { CommandName, CommandResults } from '#shared/realtime-events.ts';
import type { Room } from '../media/room.ts';
import type { ServerMedia } from '../media/server-media.ts';
import type { LiveRooms, RoomSeat } from '../sessions/live-rooms.ts';
import type { CommandPayload } from './command-handler.ts';

export type RoomCommandName = Extract<CommandName, `room:${string}`>;
export type RoomCommandPayload<E extends RoomCommandName> = CommandPayload<E>;
export type RoomCommandResult<E extends RoomCommandName> = CommandResults<ServerMedia>[E];

type RoomCommand<E extends RoomCommandName> = (
	rooms: LiveRooms,
	seat: RoomSeat,
	payload: RoomCommandPayload<E>
) => Promise<RoomCommandResult<E>>;

const EMPTY = {} as Record<string, never>;
const empty = () => EMPTY;

/** What the participant does in their room. */
const act = <T>(rooms: LiveRooms, seat: RoomSeat, action: (room: Room, me: string) => T | Promise<T>) =>
	rooms.act(seat, action);
/** What moves people: answered once kept, for a restart to put them back there. */
const move = <T>(rooms: LiveRooms, seat: RoomSeat, action: (room: Room, me: string) => T) => rooms.move(seat, action);

/**
 * The `room:*` commands, each one call to the live rooms (server/sessions) as the connection's seat;
 * the room checks every id and right. Data rather than handlers, so that the process owning a room
 * runs them alike for its own connections and for those another process forwards (server/cluster).
 */
export const ROOM_COMMANDS: { [E in RoomCommandName]: RoomCommand<E> } = {
	'room:join': (rooms, seat, { sessionId }) => rooms.join(seat, sessionId),
	'room:leave': async (rooms, seat) => {
		rooms.leave(seat);
		return EMPTY;
	},

	// What the host does with people.
	// Letting people in asks the database who is still to acknowledge the notice.
	'room:admit': (rooms, seat, { peerId }) => rooms.admit(seat, (room, me) => room.admit(me, peerId)).then(empty),
	'room:admitAll': (rooms, seat) => rooms.admit(seat, (room, me) => room.admitAll(me)).then(empty),
	'room:refuse': (rooms, seat, { peerId }) => move(rooms, seat, (room, me) => room.refuse(me, peerId)).then(empty),
	'room:sendToLobby': (rooms, seat, { peerId }) =>
		move(rooms, seat, (room, me) => room.sendToLobby(me, peerId)).then(empty),
	'room:remove': (rooms, seat, { peerId }) => move(rooms, seat, (room, me) => room.remove(me, peerId)).then(empty),
	'room:mute': (rooms, seat, { peerId, source }) =>
		act(rooms, seat, (room, me) => room.mute(me, peerId, source)).then(empty),
	'room:openCaucus': async (rooms, seat, { memberIds }) => ({
		caucusId: await move(rooms, seat, (room, me) => room.openCaucus(me, memberIds))
	}),
	'room:closeCaucus': (rooms, seat, { caucusId }) =>
		move(rooms, seat, (room, me) => room.closeCaucus(me, caucusId)).then(empty),
	'room:end': (rooms, seat) => rooms.end(seat).then(empty),

	// Media: the room checks that every id is this peer's own, or one it may consume.
	'room:createTransport': (rooms, seat, { direction }) =>
		act(rooms, seat, (room, me) => room.createTransport(me, direction)),
	'room:connectTransport': (rooms, seat, { transportId, dtlsParameters }) =>
		act(rooms, seat, (room, me) => room.connectTransport(me, transportId, dtlsParameters)).then(empty),
	'room:restartIce': async (rooms, seat, { transportId }) => ({
		iceParameters: await act(rooms, seat, (room, me) => room.restartIce(me, transportId))
	}),
	'room:produce': (rooms, seat, { transportId, kind, rtpParameters, source }) =>
		act(rooms, seat, (room, me) => room.produce(me, transportId, kind, rtpParameters, { source })),
	'room:closeProducer': (rooms, seat, { producerId }) =>
		act(rooms, seat, (room, me) => room.closeProducer(me, producerId)).then(empty),
	'room:pauseProducer': (rooms, seat, { producerId }) =>
		act(rooms, seat, (room, me) => room.pauseProducer(me, producerId)).then(empty),
	'room:resumeProducer': (rooms, seat, { producerId }) =>
		act(rooms, seat, (room, me) => room.resumeProducer(me, producerId)).then(empty),
	'room:consume': (rooms, seat, { producerId, rtpCapabilities }) =>
		act(rooms, seat, (room, me) => room.consume(me, producerId, rtpCapabilities)),
	'room:resumeConsumer': (rooms, seat, { consumerId }) =>
		act(rooms, seat, (room, me) => room.resumeConsumer(me, consumerId)).then(empty),
	'room:setLayers': (rooms, seat, { consumerId, spatialLayer }) =>
		act(rooms, seat, (room, me) => room.setPreferredLayers(me, consumerId, spatialLayer)).then(empty),

	'room:chat': (rooms, seat, { body }) => rooms.chat(seat, body),
	'room:chatEarlier': (rooms, seat, { before }) => rooms.chatEarlier(seat, before)
};

export const ROOM_COMMAND_NAMES = Object.keys(ROOM_COMMANDS) as RoomCommandName[];

export function runRoomCommand<E extends RoomCommandName>(
	rooms: LiveRooms,
	seat: RoomSeat,
	event: E,
	payload: RoomCommandPayload<E>
): Promise<RoomCommandResult<E>> {
	return (ROOM_COMMANDS[event] as RoomCommand<E>)(rooms, seat, payload);
}
