import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hocuspocus, type Connection, type Document, type Extension } from "@hocuspocus/server";
import { canEditContent, CloseCode, type Role } from "@cocanvas/protocol";
import * as Y from "yjs";
import type { WebSocket } from "ws";
import type { Accounts } from "../accounts/accounts.ts";
import type { Access } from "../access.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Storage } from "../storage/storage.ts";
import { DurableDocument, loadDocumentInto, readStoredDocument } from "./document-persistence.ts";
import { parseCookies, sessionCookie } from "../http/cookies.ts";

/** What the server knows about each live connection (Hocuspocus `context`). */
export interface ConnectionContext {
  userId: string;
  name: string;
  role: Role;
}

export interface CollabHooks {
  /** Called (debounced) after a document changed; used for automatic versions. */
  onDocumentChanged?(canvasId: string, document: Y.Doc): Promise<void>;
  /** Called before a document nobody has open any more is unloaded. */
  onDocumentUnloading?(canvasId: string, document: Y.Doc): Promise<void>;
  /** Called when a document has been loaded into memory (someone opened it). */
  onDocumentLoaded?(canvasId: string, document: Y.Doc): void;
}

/** Hocuspocus message types a client may send (Sync, Awareness, Auth, QueryAwareness, Stateless, Close, SyncStatus). */
const clientMessageTypes = new Set([0, 1, 2, 3, 5, 7, 8]);

/** Reads a lib0 variable-length unsigned integer at `offset`; returns [value, next offset] or null. */
function readVarUint(data: Uint8Array, offset: number): [number, number] | null {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (offset >= data.length) return null;
    const byte = data[offset++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, offset];
  }
  return null;
}

/**
 * The Hocuspocus message type of a frame (it follows the document name), or null if the
 * frame is too short to have one. Runs on every frame in and out, so it skips the name's
 * bytes instead of decoding them.
 */
function messageType(data: Uint8Array): number | null {
  const name = readVarUint(data, 0);
  if (!name) return null;
  const type = readVarUint(data, name[1] + name[0]);
  return type ? type[0] : null;
}
const syncStatusType = 8;

/** A changed document is stored (`onStoreDocument`) once it rested this long… */
const storeAfterRestMs = 2_000;
/** …or, if it keeps changing, at least this often. */
const storeAtLeastEveryMs = 10_000;
type HandleDocumentUpdate = (document: Document, connection: Connection | undefined) => void;

/**
 * The live channel: a Hocuspocus server whose documents are canvases. Authenticates
 * each connection (API token, or session cookie + same origin), makes viewers and
 * commenters read-only, and makes every accepted update durable before it is
 * acknowledged.
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
  let stopped = false;

  const extension: Extension = {
    async onAuthenticate({ token, documentName, request, connectionConfig }) {
      const user = await userOf(token, request);
      if (!user) throw CloseCode.unauthorized;
      const canvas = await storage.getCanvas(documentName);
      const role = canvas && !canvas.deletedAt ? await access.canvasRole(user.id, canvas) : null;
      if (!role) throw CloseCode.forbidden;
      connectionConfig.readOnly = !canEditContent(role);
      return { userId: user.id, name: user.name, role } satisfies ConnectionContext;
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

  async function userOf(token: string, request: IncomingMessage) {
    // Scripts and bots authenticate with an API token.
    if (token && token !== "session") {
      const user = await accounts.resolveCredential(token);
      if (user) return user;
    }
    // Browsers send the session cookie; refuse cross-site pages (WebSocket hijacking).
    const cookie = parseCookies(request.headers.cookie)[sessionCookie];
    if (!cookie || !sameOrigin(request)) return null;
    return (await accounts.resolveSession(cookie))?.user ?? null;
  }

  function sameOrigin(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (!origin) return true; // non-browser clients send no Origin and cannot carry a victim's cookie
    if (config.publicUrl) return origin === new URL(config.publicUrl).origin;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
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
   * Hands a raw WebSocket to Hocuspocus. Frames that do not decode close it with 4400, a
   * flood closes it with 4429, and acknowledgements of updates (sync status) are held
   * until the updates they acknowledge are committed (group commit, decision 0001);
   * everything else, broadcasts included, goes out at once.
   */
  function handleConnection(socket: WebSocket, request: IncomingMessage) {
    const window = 5_000;
    const allowed = config.wsMessagesPerSecond * (window / 1000);
    let windowStart = Date.now();
    let count = 0;
    let refused = false;
    const refuse = (close: { code: number; reason: string }) => {
      refused = true;
      socket.close(close.code, close.reason);
      // Hand none of this socket's later frames to Hocuspocus.
      setImmediate(() => socket.removeAllListeners("message"));
    };
    // ws reports protocol violations (such as an oversized frame) as errors after closing.
    socket.on("error", (error) => logger.debug({ err: error }, "live connection error"));
    socket.on("message", (data: Buffer) => {
      if (refused) return;
      const type = messageType(data);
      if (type === null || !clientMessageTypes.has(type)) return refuse(CloseCode.malformedMessage);
      const now = Date.now();
      if (now - windowStart > window) {
        windowStart = now;
        count = 0;
      }
      if (++count > allowed) {
        logger.warn({ messages: count }, "closing a live connection that sent too many messages");
        refuse(CloseCode.rateLimited);
      }
    });
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
      if (messageType(data) === syncStatusType) storage.documents.whenDurable(() => acknowledge(data, callback));
      else send(data, callback);
    }) as typeof socket.send;
    hocuspocus.handleConnection(socket, request);
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

  /** Closes every live connection to a canvas (deleted, or access changed). */
  function closeConnections(canvasId: string) {
    hocuspocus.closeConnections(canvasId);
  }

  /** Closes every live connection a person holds (account disabled or deleted); they must authenticate again. */
  function closeUserConnections(userId: string) {
    hocuspocus.documents.forEach((document) => {
      document.connections.forEach(({ connection }) => {
        if ((connection.context as ConnectionContext | undefined)?.userId === userId) connection.close(CloseCode.unauthorized);
      });
    });
  }

  /**
   * Saves and unloads every open document (compacting its log), then makes the hooks
   * no-ops so that nothing touches storage after it is closed.
   */
  async function stop() {
    clearInterval(storeSweep);
    for (const document of [...hocuspocus.documents.values()]) await hocuspocus.unloadDocument(document);
    stopped = true;
  }

  return { hocuspocus, handleConnection, changeDocument, openDocument, currentState, closeConnections, closeUserConnections, stop };
}

export type CollabServer = ReturnType<typeof createCollabServer>;
