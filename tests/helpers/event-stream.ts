import type { RunningServer } from "@cocanvas/server";
import type { TestUser } from "./server.ts";

export interface StreamEvent {
  event: string;
  data: any;
}

/**
 * Opens `GET /api/events` as a script would (bearer token, or the session cookie) and
 * parses server-sent events as they arrive. `waitFor` resolves with the first event that
 * matches (already received or still to come); `ended` resolves when the server ends the
 * stream.
 */
export async function openEventStream(server: RunningServer, user: TestUser, auth: "token" | "cookie" = "token") {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/events`, {
    headers: auth === "token" ? { authorization: `Bearer ${user.token}` } : { cookie: user.cookie },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`/api/events answered ${response.status}: ${await response.text()}`);
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  let closed = false;
  const ended = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const lines = block.split("\n");
          const event = lines.find((line) => line.startsWith("event:"))?.slice(6).trim();
          const data = lines.filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
          if (event) events.push({ event, data: JSON.parse(data) });
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      closed = true;
      for (const wake of waiters) wake();
    }
  })();

  function waitFor(predicate: (event: StreamEvent) => boolean, what: string, timeoutMs = 10_000): Promise<StreamEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(predicate);
        if (found) return finish(() => resolve(found));
        if (closed) return finish(() => reject(new Error(`the stream ended before ${what}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(events)}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  }

  await waitFor((event) => event.event === "ready", "the ready event");
  return {
    events,
    waitFor,
    ended,
    isClosed: () => closed,
    close: () => controller.abort(),
  };
}
