/** Client-side connections: HocuspocusProvider on shared sockets, or y-websocket's WebsocketProvider. */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import * as Y from "yjs";
import type { Endpoint } from "./protocol.ts";

/** Frames this process has sent (what the server receives), and sockets that closed. */
export const counters = { framesSent: 0, disconnects: 0 };

class CountingWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols);
    this.on("close", () => counters.disconnects++);
  }
  override send(data: unknown, ...rest: unknown[]): void {
    counters.framesSent++;
    (super.send as (...args: unknown[]) => void)(data, ...rest);
  }
}

export interface Connection {
  doc: Y.Doc;
  synced: Promise<void>;
  /** Provider object: the origin of its remote updates. */
  origin: unknown;
  /** Updates sent but not yet acknowledged by the server (Hocuspocus only; 0 otherwise). */
  unsynced(): number;
  destroy(): void;
}

/** One Hocuspocus socket per group (a simulated user's connection multiplexing documents). */
export class SocketPool {
  private readonly sockets = new Map<string, HocuspocusProviderWebsocket>();

  constructor(private readonly endpoint: Endpoint) {}

  socket(group: string): HocuspocusProviderWebsocket {
    let socket = this.sockets.get(group);
    if (!socket) {
      socket = new HocuspocusProviderWebsocket({
        url: this.endpoint.url,
        WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
      });
      this.sockets.set(group, socket);
    }
    return socket;
  }

  destroy() {
    for (const socket of this.sockets.values()) socket.destroy();
    this.sockets.clear();
  }
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

export function connect(endpoint: Endpoint, pool: SocketPool, docName: string, group: string, doc: Y.Doc): Connection {
  const synced = deferred();
  const user = { name: `bench-${doc.clientID}`, color: "#3b82f6" };
  if (endpoint.kind === "hocuspocus") {
    const provider = new HocuspocusProvider({
      websocketProvider: pool.socket(group),
      name: docName,
      document: doc,
      token: endpoint.token ?? "bench",
      onSynced: () => synced.resolve(),
      onAuthenticationFailed: ({ reason }) => synced.reject(new Error(`authentication failed: ${reason}`)),
    });
    provider.setAwarenessField("user", user);
    provider.attach();
    return {
      doc,
      synced: synced.promise,
      origin: provider,
      unsynced: () => provider.unsyncedChanges,
      destroy: () => provider.destroy(),
    };
  }
  const provider = new WebsocketProvider(endpoint.url, docName, doc, {
    WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  provider.awareness.setLocalStateField("user", user);
  provider.once("sync", () => synced.resolve());
  return { doc, synced: synced.promise, origin: provider, unsynced: () => 0, destroy: () => provider.destroy() };
}
