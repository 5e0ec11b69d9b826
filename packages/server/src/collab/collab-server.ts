import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hocuspocus, type Connection, type Document, type Extension } from "@hocuspocus/server";
import { canEditContent, CloseCode } from "@cocanvas/protocol";
import * as Y from "yjs";
import type { WebSocket } from "ws";
import type { Accounts } from "../accounts/accounts.ts";
import type { Access } from "../access.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Storage } from "../storage/storage.ts";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, guardAwareness, type AwarenessOwner } from "./awareness-guard.ts";
import { DurableDocument, loadDocumentInto, readStoredDocument } from "./document-persistence.ts";
import { AuthMessageType, FrameWriter, frameHeader, MessageType, messageType } from "./frames.ts";
import { createLiveAccess, type ConnectionContext } from "./live-access.ts";
import { LiveSocket, type HeldFrames, type LiveDocument } from "./live-socket.ts";

export type { ConnectionContext };

/** The Hocuspocus context of a socket's connections: its `LiveSocket`, then who authenticated. */
type SocketContext = { live?: LiveSocket<ConnectionContext> } & Partial<ConnectionContext>;

export interface CollabHooks {
  /** Called (debounced) after a document changed; used for automatic versions. */
  onDocumentChanged?(canvasId: string, document: Y.Doc): Promise<void>;
  /** Called before a document nobody has open any more is unloaded. */
  onDocumentUnloading?(canvasId: string, document: Y.Doc): Promise<void>;
  /** Called when a document has been loaded into memory (someone opened it). */
  onDocumentLoaded?(canvasId: string, document: Y.Doc): void;
}

/** A changed document is stored (`onStoreDocument`) once it rested this long… */
const storeAfterRestMs = 2_000;
/** How often every live connection's credential and role are checked again (rights changed by the CLI, sessions expiring). */
const rightsRecheckMs = 15_000;
/** …or, if it keeps changing, at least this often. */
const storeAtLeastEveryMs = 10_000;
type HandleDocumentUpdate = (document: Document, connection: Connection | undefined) => void;

/**
 * The live channel: a Hocuspocus server whose documents are canvases. Authenticates
 * each connection (API token, or session cookie + same origin), makes viewers and
 * commenters read-only, keeps each connection's awareness to its own client and account,
 * makes every accepted update durable before it is acknowledged, and ends connections
 * whose credential or rights change (decision 0014).
 */
export function createCollabServer(deps: {
  config: Config;
  storage: Storage;
  accounts: Accounts;
  access: Access;
  logger: Logger;
  hooks?: CollabHooks;
}) {
  const { config, storage, accounts, access, logger } = deps;
  const durable = new Map<string, DurableDocument>();
  const sockets = new Set<LiveSocket<ConnectionContext>>();
  const held: HeldFrames = { messages: 0, bytes: 0, peakBytes: 0 };
  const rights = createLiveAccess({ config, storage, accounts, access, sockets });
  // Rights changed outside this process's routes (the CLI, expiry) reach open connections within this time.
  const rightsSweep = setInterval(() => {
    rights.recheckAll().catch((error) => logger.warn({ err: error }, "re-checking live connections failed"));
  }, rightsRecheckMs);
  rightsSweep.unref();
  let stopped = false;

  const extension: Extension = {
    async onAuthenticate({ token, documentName, request, connectionConfig, context }) {
      const live = (context as SocketContext).live!;
      try {
        const authorised = await rights.authorise(token, request, documentName);
        connectionConfig.readOnly = !canEditContent(authorised.role);
        live.authenticatedAs(documentName, authorised);
        return authorised;
      } catch (error) {
        live.failedAs(documentName, error);
        throw error;
      }
    },

    async connected({ documentName, context }) {
      const { live } = context as SocketContext;
      live?.opened(documentName, context as ConnectionContext);
    },

    async onDisconnect({ documentName, context }) {
      (context as SocketContext).live?.documentClosed(documentName);
    },

    async onLoadDocument({ document, documentName }) {
      const pending = loadDocumentInto(document, storage.documents, documentName);
      durable.set(documentName, new DurableDocument(document, documentName, storage.documents, config.compactAfterUpdates, pending));
    },

    async afterLoadDocument({ document, documentName }) {
      deps.hooks?.onDocumentLoaded?.(documentName, document);
    },

    async onStoreDocument({ document, documentName }) {
      if (stopped) return;
      durable.get(documentName)?.maybeCompact();
      await deps.hooks?.onDocumentChanged?.(documentName, document);
    },

    async afterUnloadDocument({ documentName }) {
      changed.delete(documentName);
      const entry = durable.get(documentName);
      durable.delete(documentName);
      entry?.detach();
    },

    async beforeUnloadDocument({ documentName, document }) {
      if (stopped) return;
      // The last person left before the changes were stored: store them now.
      if (changed.delete(documentName)) await deps.hooks?.onDocumentChanged?.(documentName, document);
      await deps.hooks?.onDocumentUnloading?.(documentName, document);
      durable.get(documentName)?.maybeCompact(true);
    },
  };

  /** Who publishes `clientId` in a document's awareness now (see `guardAwareness`). */
  function awarenessOwner(document: Document, clientId: number): AwarenessOwner {
    for (const { clients, connection } of document.connections.values()) {
      if (clients.has(clientId)) return { kind: "person", userId: (connection.context as ConnectionContext).userId };
    }
    return document.awareness.getStates().has(clientId) ? { kind: "server" } : { kind: "free" };
  }

  /** A client's awareness frame, kept to its own client under its account's name; null drops it. */
  function guardAwarenessFrame(live: LiveSocket<ConnectionContext>, documentName: string, liveDocument: LiveDocument<ConnectionContext>, frame: Uint8Array): Uint8Array | null {
    const document = hocuspocus.documents.get(documentName);
    const context = liveDocument.context;
    if (!document || !context) return null;
    let entries;
    try {
      entries = decodeAwarenessUpdate(frameHeader(frame)!.reader.bytes());
    } catch {
      live.close(CloseCode.malformedMessage);
      return null;
    }
    const binding = liveDocument.clientId === undefined;
    const guarded = guardAwareness(entries, { userId: context.userId, name: context.name, clientId: liveDocument.clientId }, (clientId) => awarenessOwner(document, clientId));
    liveDocument.clientId = guarded.clientId;
    if (binding && guarded.clientId !== undefined) {
      // A reconnecting tab takes its client over from its earlier connection, which then no longer removes it when it closes.
      for (const { clients } of document.connections.values()) clients.delete(guarded.clientId);
      document.connections.get(live.socket as never)?.clients.add(guarded.clientId);
    }
    if (guarded.entries.length === 0) return null;
    return new FrameWriter().string(documentName).varUint(MessageType.awareness).bytes(encodeAwarenessUpdate(guarded.entries)).toBytes();
  }

  const hocuspocus = new Hocuspocus({
    name: "cocanvas",
    quiet: true,
    debounce: storeAfterRestMs,
    maxDebounce: storeAtLeastEveryMs,
    extensions: [extension],
  });

  /**
   * When each document changed through a live connection since it was last stored.
   * Hocuspocus itself, on every such update, builds a hook payload (parsing the request's
   * query string), runs an `onChange` promise chain and resets a timer that debounces
   * `onStoreDocument`: ~7 µs per update, ~5% of the server's CPU under the 200-document
   * benchmark, for hooks we do not have. So an update only marks its document here, and
   * one sweep stores the documents that rested or kept changing long enough. Changes of
   * server-side peers are stored by `openDirectConnection`, and a marked document is
   * stored when it unloads (`beforeUnloadDocument`).
   */
  const changed = new Map<string, { first: number; last: number }>();
  (hocuspocus as unknown as { handleDocumentUpdate: HandleDocumentUpdate }).handleDocumentUpdate = (document, connection) => {
    if (!connection) return;
    const now = Date.now();
    const entry = changed.get(document.name);
    if (entry) entry.last = now;
    else changed.set(document.name, { first: now, last: now });
  };
  const storeDocument = (document: Document) =>
    hocuspocus.storeDocumentHooks(
      document,
      {
        instance: hocuspocus,
        clientsCount: document.getConnectionsCount(),
        context: {},
        document,
        documentName: document.name,
        requestHeaders: {},
        requestParameters: new URLSearchParams(),
        socketId: "server",
      },
      true,
    );
  const storeSweep = setInterval(() => {
    const now = Date.now();
    for (const [name, { first, last }] of changed) {
      if (now - last < storeAfterRestMs && now - first < storeAtLeastEveryMs) continue;
      changed.delete(name);
      const document = hocuspocus.documents.get(name);
      if (document) storeDocument(document).catch((error) => logger.error({ err: error, canvasId: name }, "storing a document failed"));
    }
  }, 500);
  storeSweep.unref();

  /**
   * Hands a raw WebSocket to Hocuspocus through a `LiveSocket`, which checks every frame
   * first (see there). Acknowledgements of updates (sync status) are held until the updates
   * they acknowledge are committed (group commit, decision 0001); everything else,
   * broadcasts included, goes out at once. A failed authentication closes the socket after
   * telling the client why.
   */
  function handleConnection(socket: WebSocket, request: IncomingMessage) {
    const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
    const live: LiveSocket<ConnectionContext> = new LiveSocket<ConnectionContext>(socket, {
      deliver: (frame) => void emit("message", frame, true),
      guardAwareness: (documentName, document, frame) => guardAwarenessFrame(live, documentName, document, frame),
      messagesPerSecond: config.wsMessagesPerSecond,
      held,
      onClose: (close) => {
        if (close.code === CloseCode.rateLimited.code) logger.warn("closing a live connection that sent too many messages");
      },
    });
    sockets.add(live);
    socket.once("close", () => sockets.delete(live));
    // Every frame from the network passes the LiveSocket, which hands on what Hocuspocus may see.
    socket.emit = ((event: string, ...args: unknown[]) => {
      if (event !== "message") return emit(event, ...args);
      live.receive(args[0] as Uint8Array);
      return true;
    }) as typeof socket.emit;
    // ws reports protocol violations (such as an oversized frame) as errors after closing.
    socket.on("error", (error) => logger.debug({ err: error }, "live connection error"));
    const send = socket.send.bind(socket) as (data: Uint8Array, callback?: (error?: Error) => void) => void;
    // The acknowledgements one group commit releases leave in one write per client (a
    // client streaming into several documents has several waiting), not one each.
    const stream = (socket as unknown as { _socket?: Duplex })._socket;
    let acksCorked = false;
    const acknowledge = (data: Uint8Array, callback?: (error?: Error) => void) => {
      if (stream && !acksCorked) {
        acksCorked = true;
        stream.cork();
        queueMicrotask(() => {
          acksCorked = false;
          stream.uncork();
        });
      }
      send(data, callback);
    };
    socket.send = ((data: Uint8Array, callback?: (error?: Error) => void) => {
      const type = messageType(data);
      if (type === MessageType.syncStatus) return storage.documents.whenDurable(() => acknowledge(data, callback));
      send(data, callback);
      if (type === MessageType.auth) {
        const header = frameHeader(data);
        if (header && header.reader.varUint() === AuthMessageType.permissionDenied) live.permissionDenied(header.documentName);
      }
    }) as typeof socket.send;
    hocuspocus.handleConnection(socket, request, { live } satisfies SocketContext);
  }

  /**
   * Runs `change` on the live document (loading it if nobody has it open) as a server
   * change that every connected client receives, and that is logged like any other.
   */
  async function changeDocument(canvasId: string, change: (document: Y.Doc) => void): Promise<void> {
    const connection = await hocuspocus.openDirectConnection(canvasId, {});
    try {
      await connection.transact(change);
    } finally {
      await connection.disconnect();
    }
  }

  /**
   * Holds a canvas document open (loading it if nobody has it open) for a server-side
   * peer such as an agent. Its changes (`document.transact`) reach every client and are
   * logged like anyone's; `release` lets the document unload again.
   */
  async function openDocument(canvasId: string): Promise<{ document: Y.Doc; release(): Promise<void> }> {
    const connection = await hocuspocus.openDirectConnection(canvasId, {});
    return { document: connection.document!, release: () => connection.disconnect() };
  }

  /** The current content of a canvas: the live document if loaded, else the stored one. */
  function currentState(canvasId: string): Uint8Array {
    const live = hocuspocus.documents.get(canvasId);
    return Y.encodeStateAsUpdate(live ?? readStoredDocument(storage.documents, canvasId));
  }

  /** Frames the server holds for documents not open yet, across all sockets (see `heldLimits`). */
  const heldFrames = (): HeldFrames => ({ ...held });

  /**
   * Saves and unloads every open document (compacting its log), then makes the hooks
   * no-ops so that nothing touches storage after it is closed.
   */
  async function stop() {
    clearInterval(storeSweep);
    clearInterval(rightsSweep);
    for (const document of [...hocuspocus.documents.values()]) await hocuspocus.unloadDocument(document);
    stopped = true;
  }

  return {
    hocuspocus,
    handleConnection,
    changeDocument,
    openDocument,
    currentState,
    closeConnections: rights.closeConnections,
    closeUserConnections: rights.closeUserConnections,
    closeRevokedConnections: rights.closeRevokedConnections,
    refreshAccess: rights.refreshAccess,
    refreshCanvasAccess: rights.refreshCanvasAccess,
    heldFrames,
    stop,
  };
}

export type CollabServer = ReturnType<typeof createCollabServer>;
