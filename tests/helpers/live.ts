/**
 * Raw frames and socket events of the live channel (`/collab`), for tests that speak the
 * protocol without a provider or watch what a stock provider's socket goes through.
 */
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import WebSocket from "ws";
import type { HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import type { RunningServer } from "@cocanvas/server";

/** Opens a raw WebSocket on `/collab`. */
export function openSocket(server: RunningServer, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.url.replace("http", "ws")}/collab`, { headers });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves with the close code of a raw socket. */
export const closeCode = (socket: WebSocket) => new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));

/** Sends a frame and resolves once it is written (or the socket is gone). */
export const sendFrame = (socket: WebSocket, frame: Uint8Array) => new Promise<void>((resolve) => socket.send(frame, () => resolve()));

function frame(documentName: string, type: number, write: (encoder: encoding.Encoder) => void) {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const authFrame = (documentName: string, token: string) =>
  frame(documentName, 2, (encoder) => {
    encoding.writeVarUint(encoder, 0); // Token
    encoding.writeVarString(encoder, token);
  });

export const updateFrame = (documentName: string, update: Uint8Array) => frame(documentName, 0, (encoder) => syncProtocol.writeUpdate(encoder, update));

export const awarenessFrame = (documentName: string, awareness: awarenessProtocol.Awareness, clients: number[]) =>
  frame(documentName, 1, (encoder) => encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));

/** Every close code a stock provider's socket receives from the server. */
export function socketCloses(socket: HocuspocusProviderWebsocket): number[] {
  const codes: number[] = [];
  socket.on("close", ({ event }: { event: { code: number } }) => codes.push(event.code));
  return codes;
}
