import { AppError } from '#shared/errors.ts';
import { hostsRoom } from '#shared/sessions.ts';
import type { RealtimeDeps } from './realtime-deps.ts';
import { participantOf } from '../sessions/participant-of.ts';
import { listChatPage } from '../sessions/list-chat-page.ts';
import { recordRoomJoin, SAME_VISIT_MS } from '../sessions/record-room-join.ts';
import { saveChatMessage } from '../sessions/save-chat-message.ts';
import { endSession, markSessionLive } from '../sessions/session-status.ts';
import { onCommand, type AppSocket } from './command-handler.ts';
import type { Membership, RoomConnections } from './room-connections.ts';

const EMPTY = {} as Record<string, never>;

/**
 * The `room:*` commands of one connection. `room:join` checks, against the database, that the
 * connection's account or invitation is a participant of that session; every later command acts
 * as that participant in that room only, and the room checks each id and right. A command that
 * moves people is answered once where they are now is kept, for a restart to put them back there.
 */
export function registerRoomHandlers(app: RealtimeDeps, connections: RoomConnections, socket: AppSocket): void {
	const ip = socket.handshake.address || null;
	const member = (): Membership => {
		const membership = connections.of(socket);
		if (!membership) throw new AppError('CONFLICT');
		return membership;
	};
	const leave = (how: 'leave' | 'drop') => {
		const membership = connections.unbind(socket);
		if (!membership || membership.room.closed) return;
		const { room, participant } = membership;
		try {
			room[how](participant.id);
		} catch (error) {
			// Already gone: removed, or the room closed meanwhile.
			if (!(error instanceof AppError)) throw error;
		}
		app.rooms.noteLeft(room);
	};

	onCommand(app, socket, 'room:join', async ({ sessionId }) => {
		const { participant, session } = await participantOf(app.db, sessionId, socket.data.identity);
		const room = await app.rooms.open(session.id);
		const host = hostsRoom(participant.role, session.kind);
		if (host) await markSessionLive(app, session, participant, ip);
		// Recorded before the join, so that nobody is in without it; coming back soon continues the visit.
		if (!room.isVisiting(participant.id, SAME_VISIT_MS)) {
			await recordRoomJoin(app, { participant, session }, socket.data.identity, ip);
		}
		// Meanwhile the connection may have gone, its disconnect finding no room to leave.
		if (socket.disconnected) throw new AppError('CONFLICT');
		// A connection is in one room at a time; joining its own room again keeps the person's place.
		if (connections.of(socket) && connections.of(socket)!.room !== room) leave('leave');
		const view = room.join({ id: participant.id, displayName: participant.displayName, role: participant.role, host });
		connections.bind(socket, { room, participant, session });
		connections.sendChatHistory(socket, view.self.space);
		await app.rooms.kept(room);
		return view;
	});
	onCommand(app, socket, 'room:leave', async () => {
		member();
		leave('leave');
		return EMPTY;
	});
	socket.on('disconnect', () => leave('drop'));

	// What the host does with people.
	onCommand(app, socket, 'room:admit', async ({ peerId }) => {
		const { room, participant } = member();
		room.admit(participant.id, peerId);
		await app.rooms.kept(room);
		return EMPTY;
	});
	onCommand(app, socket, 'room:admitAll', async () => {
		const { room, participant } = member();
		room.admitAll(participant.id);
		return EMPTY;
	});
	onCommand(app, socket, 'room:refuse', async ({ peerId }) => {
		const { room, participant } = member();
		room.refuse(participant.id, peerId);
		await app.rooms.kept(room);
		return EMPTY;
	});
	onCommand(app, socket, 'room:sendToLobby', async ({ peerId }) => {
		const { room, participant } = member();
		room.sendToLobby(participant.id, peerId);
		await app.rooms.kept(room);
		return EMPTY;
	});
	onCommand(app, socket, 'room:remove', async ({ peerId }) => {
		const { room, participant } = member();
		room.remove(participant.id, peerId);
		await app.rooms.kept(room);
		return EMPTY;
	});
	onCommand(app, socket, 'room:mute', async ({ peerId, source }) => {
		const { room, participant } = member();
		await room.mute(participant.id, peerId, source);
		return EMPTY;
	});
	onCommand(app, socket, 'room:openCaucus', async ({ memberIds }) => {
		const { room, participant } = member();
		const caucusId = room.openCaucus(participant.id, memberIds);
		await app.rooms.kept(room);
		return { caucusId };
	});
	onCommand(app, socket, 'room:closeCaucus', async ({ caucusId }) => {
		const { room, participant } = member();
		room.closeCaucus(participant.id, caucusId);
		await app.rooms.kept(room);
		return EMPTY;
	});
	onCommand(app, socket, 'room:end', async () => {
		const { room, participant, session } = member();
		if (!hostsRoom(participant.role, session.kind)) throw new AppError('FORBIDDEN');
		await endSession(app, session, participant, ip);
		connections.end(room);
		return EMPTY;
	});

	// Media: the room checks that every id is this peer's own, or one it may consume.
	onCommand(app, socket, 'room:createTransport', async ({ direction }) => {
		const { room, participant } = member();
		return room.createTransport(participant.id, direction);
	});
	onCommand(app, socket, 'room:connectTransport', async ({ transportId, dtlsParameters }) => {
		const { room, participant } = member();
		await room.connectTransport(participant.id, transportId, dtlsParameters);
		return EMPTY;
	});
	onCommand(app, socket, 'room:restartIce', async ({ transportId }) => {
		const { room, participant } = member();
		return { iceParameters: await room.restartIce(participant.id, transportId) };
	});
	onCommand(app, socket, 'room:produce', async ({ transportId, kind, rtpParameters, source }) => {
		const { room, participant } = member();
		return room.produce(participant.id, transportId, kind, rtpParameters, {
			source
		});
	});
	onCommand(app, socket, 'room:closeProducer', async ({ producerId }) => {
		const { room, participant } = member();
		room.closeProducer(participant.id, producerId);
		return EMPTY;
	});
	onCommand(app, socket, 'room:pauseProducer', async ({ producerId }) => {
		const { room, participant } = member();
		await room.pauseProducer(participant.id, producerId);
		return EMPTY;
	});
	onCommand(app, socket, 'room:resumeProducer', async ({ producerId }) => {
		const { room, participant } = member();
		await room.resumeProducer(participant.id, producerId);
		return EMPTY;
	});
	onCommand(app, socket, 'room:consume', async ({ producerId, rtpCapabilities }) => {
		const { room, participant } = member();
		return room.consume(participant.id, producerId, rtpCapabilities);
	});
	onCommand(app, socket, 'room:resumeConsumer', async ({ consumerId }) => {
		const { room, participant } = member();
		await room.resumeConsumer(participant.id, consumerId);
		return EMPTY;
	});
	onCommand(app, socket, 'room:setLayers', async ({ consumerId, spatialLayer }) => {
		const { room, participant } = member();
		await room.setPreferredLayers(participant.id, consumerId, spatialLayer);
		return EMPTY;
	});

	onCommand(app, socket, 'room:chat', async ({ body }) => {
		const { room, participant } = member();
		const { space, to } = room.chatScope(participant.id);
		if (!connections.takeChatTurn(room, participant.id)) throw new AppError('RATE_LIMITED');
		const message = await saveChatMessage(app.db, participant, space, body);
		// Those in the space when it was said get it once it is stored; the sender has it in the reply.
		for (const peerId of to) {
			if (peerId !== participant.id) connections.socketOf(room, peerId)?.emit('room:chat', message);
		}
		return message;
	});
	onCommand(app, socket, 'room:chatEarlier', async ({ before }) => {
		const { room, participant, session } = member();
		return listChatPage(app.db, session.id, room.chatScope(participant.id).space, before);
	});
}
