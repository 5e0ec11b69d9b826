import type { LiveEvent } from "@cocanvas/protocol";

/** What listeners hear: the server's events, and `reconnected` when the stream came back (events may have been missed: refetch). */
export type LiveMessage = LiveEvent | { type: "reconnected" };
type Listener = (message: LiveMessage) => void;

const eventTypes: LiveEvent["type"][] = ["notification-created", "notification-read", "workspace-changed"];
const listeners = new Set<Listener>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryDelayMs = 1000;
let connectedBefore = false;

function emit(message: LiveMessage): void {
  for (const listener of [...listeners]) listener(message);
}

/**
 * One `EventSource` on `/api/events` for the whole page, opened while anything listens.
 * The browser reconnects by itself after a network error; when the server refused or
 * ended the stream for good (the source is closed), it is opened again after a growing
 * delay (1 s, 2 s, … 30 s).
 */
function open(): void {
  if (source || listeners.size === 0) return;
  const opened = new EventSource("/api/events", { withCredentials: true });
  source = opened;
  opened.addEventListener("ready", () => {
    retryDelayMs = 1000;
    if (connectedBefore) emit({ type: "reconnected" });
    connectedBefore = true;
  });
  for (const type of eventTypes) {
    opened.addEventListener(type, (event) => {
      try {
        emit(JSON.parse((event as MessageEvent<string>).data) as LiveEvent);
      } catch {
        // A malformed event is ignored.
      }
    });
  }
  opened.addEventListener("error", () => {
    if (opened.readyState !== EventSource.CLOSED) return;
    close();
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, 30_000);
  });
}

function close(): void {
  source?.close();
  source = null;
}

/** Listens to the live stream; returns the function that stops listening (the stream closes with the last listener). */
export function listenToLiveEvents(listener: Listener): () => void {
  listeners.add(listener);
  open();
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    close();
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    connectedBefore = false;
  };
}
