import type { Logger } from '../log.ts';
import type { Room } from '../media/room.ts';
import type { LiveRooms, RoomSeat } from '../sessions/live-rooms.ts';
import { onCommand, type AppSocket } from './command-handler.ts';

const EMPTY = {} as Record<string, never>;
const empty = () => EMPTY;

/**
 * The `room:*` commands of one connection: each is one call to the live rooms (server/sessions)
 * as the connection's seat, and the room checks every id and right.
 */
export function registerRoomHandlers(log: Logger, socket: AppSocket, rooms: LiveRooms, seat: RoomSeat): void {
	/** What the participant does in their room. */
	const act = <T>(action: (room: Room, me: string) => T | Promise<T>) => rooms.act(seat, action);
	/** What moves people: answered once kept, for a restart to put them back there. */
	const move = <T>(action: (room: Room, me: string) => T) => rooms.move(seat, action);

	onCommand(log, socket, 'room:join', ({ sessionId }) => rooms.join(seat, sessionId));
	onCommand(log, socket, 'room:leave', async () => {
		rooms.leave(seat);
		return EMPTY;
	});
	socket.on('disconnect', () => rooms.drop(seat));

	// What the host does with people.
	// Letting people in asks the database who is still to acknowledge the notice.
	onCommand(log, socket, 'room:admit', ({ peerId }) =>
		rooms.admit(seat, (room, me) => room.admit(me, peerId)).then(empty)
	);
	onCommand(log, socket, 'room:admitAll', () => rooms.admit(seat, (room, me) => room.admitAll(me)).then(empty));
	onCommand(log, socket, 'room:refuse', ({ peerId }) => move((room, me) => room.refuse(me, peerId)).then(empty));
	onCommand(log, socket, 'room:sendToLobby', ({ peerId }) =>
		move((room, me) => room.sendToLobby(me, peerId)).then(empty)
	);
	onCommand(log, socket, 'room:remove', ({ peerId }) => move((room, me) => room.remove(me, peerId)).then(empty));
	onCommand(log, socket, 'room:mute', ({ peerId, source }) =>
		act((room, me) => room.mute(me, peerId, source)).then(empty)
	);
	onCommand(log, socket, 'room:openCaucus', async ({ memberIds }) => ({
		caucusId: await move((room, me) => room.openCaucus(me, memberIds))
	}));
	onCommand(log, socket, 'room:closeCaucus', ({ caucusId }) =>
		move((room, me) => room.closeCaucus(me, caucusId)).then(empty)
	);
	onCommand(log, socket, 'room:end', () => rooms.end(seat).then(empty));

	// Media: the room checks that every id is this peer's own, or one it may consume.
	onCommand(log, socket, 'room:createTransport', ({ direction }) =>
		act((room, me) => room.createTransport(me, direction))
	);
	onCommand(log, socket, 'room:connectTransport', ({ transportId, dtlsParameters }) =>
		act((room, me) => room.connectTransport(me, transportId, dtlsParameters)).then(empty)
	);
	onCommand(log, socket, 'room:restartIce', async ({ transportId }) => ({
		iceParameters: await act((room, me) => room.restartIce(me, transportId))
	}));
	onCommand(log, socket, 'room:produce', ({ transportId, kind, rtpParameters, source }) =>
		act((room, me) => room.produce(me, transportId, kind, rtpParameters, { source }))
	);
	onCommand(log, socket, 'room:closeProducer', ({ producerId }) =>
		act((room, me) => room.closeProducer(me, producerId)).then(empty)
	);
	onCommand(log, socket, 'room:pauseProducer', ({ producerId }) =>
		act((room, me) => room.pauseProducer(me, producerId)).then(empty)
	);
	onCommand(log, socket, 'room:resumeProducer', ({ producerId }) =>
		act((room, me) => room.resumeProducer(me, producerId)).then(empty)
	);
	onCommand(log, socket, 'room:consume', ({ producerId, rtpCapabilities }) =>
		act((room, me) => room.consume(me, producerId, rtpCapabilities))
	);
	onCommand(log, socket, 'room:resumeConsumer', ({ consumerId }) =>
		act((room, me) => room.resumeConsumer(me, consumerId)).then(empty)
	);
	onCommand(log, socket, 'room:setLayers', ({ consumerId, spatialLayer }) =>
		act((room, me) => room.setPreferredLayers(me, consumerId, spatialLayer)).then(empty)
	);

	onCommand(log, socket, 'room:chat', ({ body }) => rooms.chat(seat, body));
	onCommand(log, socket, 'room:chatEarlier', ({ before }) => rooms.chatEarlier(seat, before));
}
