import { CloseCode } from "@cocanvas/protocol";
import type { WebSocket } from "ws";
import { clientMessageTypes, frameHeader, MessageType } from "./frames.ts";

export type Close = { code: number; reason: string };

/**
 * What a socket may send for documents it has not opened yet; the server holds those frames
 * until the document opens, and closes the socket with 4413 past these limits. Before
 * anything on the socket authenticated, only what a provider sends while it authenticates
 * (sync step 1, its awareness, a few keystrokes); once it authenticated, what an editor
 * sends while a large document loads. A client that is closed for this loses nothing: it
 * reconnects and sync sends its changes again.
 */
export const heldLimits = {
  beforeAuthentication: { messages: 32, bytes: 256 * 1024 },
  whileLoading: { messages: 2_000, bytes: 32 * 1024 * 1024 },
} as const;

/** A socket that has authenticated no document this long after opening is closed with 4408. */
export const authenticateWithinMs = 5_000;

/** The server's own accounting of frames held for documents not open yet, across sockets. */
export interface HeldFrames {
  messages: number;
  bytes: number;
  /** The most bytes held at once since the server started. */
  peakBytes: number;
}

/** Where one document stands on one socket. */
export interface LiveDocument<Context> {
  /** waiting: frames but no authentication yet; authenticating; loading: authenticated, loading; open. */
  phase: "waiting" | "authenticating" | "loading" | "open";
  /** Frames held until the document opens, in order. */
  held: Uint8Array[];
  /** Who authenticated it, with which role and credential. */
  context?: Context;
  /** Why authentication failed, to close the socket with. */
  failure?: Close;
  /** The client itself asked to close the document. */
  closedByClient?: boolean;
  /** The awareness client this connection publishes (see `guardAwareness`). */
  clientId?: number;
}

/**
 * One WebSocket on `/collab`, in front of Hocuspocus: every frame passes `receive` before
 * Hocuspocus sees it. Frames that do not decode close the socket with 4400, a flood with
 * 4429. Frames for a document that is not open yet are held here (not in Hocuspocus's
 * unbounded queue), within `heldLimits`, and handed over once it opens. Any way the
 * socket loses a document it did not ask to close ends the whole socket (see `close`):
 * a stock provider cannot recover from a document-level close, it reconnects at once
 * from a closed socket.
 */
export class LiveSocket<Context> {
  readonly documents = new Map<string, LiveDocument<Context>>();
  /** Some document on this socket authenticated. */
  authenticated = false;
  closed = false;
  private heldMessages = 0;
  private heldBytes = 0;
  private windowStart = Date.now();
  private windowCount = 0;
  private readonly authenticationTimer: NodeJS.Timeout;

  constructor(
    readonly socket: WebSocket,
    private readonly options: {
      /** Hands a frame to Hocuspocus. */
      deliver(frame: Uint8Array): void;
      /** Rewrites (or drops, with null) an awareness frame of an open document. */
      guardAwareness(documentName: string, document: LiveDocument<Context>, frame: Uint8Array): Uint8Array | null;
      messagesPerSecond: number;
      held: HeldFrames;
      onClose?(close: Close): void;
    },
  ) {
    this.authenticationTimer = setTimeout(() => this.close(CloseCode.authenticationTimeout), authenticateWithinMs);
    this.authenticationTimer.unref();
    socket.once("close", () => {
      this.closed = true;
      this.dispose();
    });
  }

  /** Every frame from the network. */
  receive(frame: Uint8Array): void {
    if (this.closed) return;
    const rateWindowMs = 5_000;
    const now = Date.now();
    if (now - this.windowStart > rateWindowMs) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (++this.windowCount > this.options.messagesPerSecond * (rateWindowMs / 1000)) return this.close(CloseCode.rateLimited);
    const header = frameHeader(frame);
    if (!header || !clientMessageTypes.has(header.type)) return this.close(CloseCode.malformedMessage);
    const { documentName, type } = header;
    const document = this.documents.get(documentName);
    if (document?.phase === "open" && document.held.length === 0) return this.deliver(documentName, document, type, frame);
    if (type === MessageType.auth && (!document || document.phase === "waiting")) {
      if (document) document.phase = "authenticating";
      else this.documents.set(documentName, { phase: "authenticating", held: [] });
      return this.options.deliver(frame);
    }
    this.hold(documentName, document, frame);
  }

  /** The document's authentication succeeded. */
  authenticatedAs(documentName: string, context: Context): void {
    const document = this.documents.get(documentName);
    if (!document || this.closed) return;
    document.phase = "loading";
    document.context = context;
    this.authenticated = true;
    clearTimeout(this.authenticationTimer);
  }

  /** The document's authentication failed: the socket closes once the client was told. */
  failedAs(documentName: string, failure: unknown): void {
    const document = this.documents.get(documentName);
    // A close code from the check (4401, 4403); anything else (a storage error) closes as forbidden.
    const isClose = typeof (failure as Close | null)?.code === "number" && typeof (failure as Close).reason === "string";
    if (document) document.failure = isClose ? (failure as Close) : CloseCode.forbidden;
  }

  /** The server told the client that authentication failed (denied or not loadable): close. */
  permissionDenied(documentName: string): void {
    this.close(this.documents.get(documentName)?.failure ?? CloseCode.forbidden);
  }

  /** Hocuspocus opened the document on this socket: hand over what was held, in order. */
  opened(documentName: string, context: Context): void {
    const document = this.documents.get(documentName);
    if (!document || this.closed) return;
    document.phase = "open";
    document.context = context;
    const held = document.held.splice(0);
    this.release(held);
    for (const frame of held) {
      if (this.closed) return;
      const header = frameHeader(frame)!;
      this.deliver(documentName, document, header.type, frame);
    }
  }

  /** Hocuspocus closed the document's connection: unless the client asked, end the socket. */
  documentClosed(documentName: string): void {
    const document = this.documents.get(documentName);
    this.documents.delete(documentName);
    if (document) this.release(document.held);
    if (document && !document.closedByClient) this.close(CloseCode.resetConnection);
  }

  /** Closes the socket with `close` (a client reconnects, and authenticates again). */
  close(close: Close): void {
    if (this.closed) return;
    this.closed = true;
    this.dispose();
    this.options.onClose?.(close);
    this.socket.close(close.code, close.reason);
  }

  private deliver(documentName: string, document: LiveDocument<Context>, type: number, frame: Uint8Array) {
    if (type === MessageType.close) document.closedByClient = true;
    if (type === MessageType.awareness) {
      const guarded = this.options.guardAwareness(documentName, document, frame);
      if (!guarded) return;
      frame = guarded;
    }
    this.options.deliver(frame);
  }

  private hold(documentName: string, document: LiveDocument<Context> | undefined, frame: Uint8Array) {
    const limits = this.authenticated ? heldLimits.whileLoading : heldLimits.beforeAuthentication;
    if (this.heldMessages + 1 > limits.messages || this.heldBytes + frame.length > limits.bytes) return this.close(CloseCode.backlogTooLarge);
    if (!document) {
      document = { phase: "waiting", held: [] };
      this.documents.set(documentName, document);
    }
    document.held.push(frame);
    this.heldMessages += 1;
    this.heldBytes += frame.length;
    const held = this.options.held;
    held.messages += 1;
    held.bytes += frame.length;
    held.peakBytes = Math.max(held.peakBytes, held.bytes);
  }

  private release(frames: Uint8Array[]) {
    for (const frame of frames) {
      this.heldMessages -= 1;
      this.heldBytes -= frame.length;
      this.options.held.messages -= 1;
      this.options.held.bytes -= frame.length;
    }
  }

  private dispose() {
    clearTimeout(this.authenticationTimer);
    for (const document of this.documents.values()) this.release(document.held.splice(0));
  }
}
