import { streamSSE } from "hono/streaming";
import type { LiveSubscriber } from "../events/live-events.ts";
import type { Services } from "../services.ts";
import type { ApiRouter } from "./api-router.ts";

/**
 * `GET /api/events`: the caller's one live stream, as server-sent events named by type
 * (`ready`, `notification-created`, `notification-read`, `workspace-changed`), each with
 * JSON data. A comment line every `COCANVAS_EVENTS_HEARTBEAT_SECONDS` keeps proxies from
 * closing it. The session or token it was opened with is checked again before every
 * event and heartbeat, and at once when the person logs out or deletes a token: once it
 * no longer holds, the stream ends.
 */
export function addEventRoutes(api: ApiRouter, services: Services) {
  const { accounts, events, config } = services;

  api.add("get", "/api/events", { summary: "Your live event stream (server-sent events): notifications and changes to your workspaces" }, (context) => {
    const user = context.get("user")!;
    const bearer = /^Bearer\s+(\S+)$/i.exec(context.req.header("authorization") ?? "")?.[1];
    const credential = bearer ?? context.get("sessionToken")!;
    context.header("Cache-Control", "no-store");
    context.header("X-Accel-Buffering", "no"); // nginx: pass events through at once
    return streamSSE(context, async (stream) => {
      let ended!: () => void;
      const closed = new Promise<void>((resolve) => (ended = resolve));
      const subscriber: LiveSubscriber = {
        userId: user.id,
        stillValid: async () => !stream.closed && (await accounts.resolveCredential(credential))?.id === user.id,
        send: (event) => stream.writeSSE({ event: event.type, data: JSON.stringify(event) }),
        close: () => ended(),
      };
      const unsubscribe = events.subscribe(subscriber);
      stream.onAbort(() => ended());
      const heartbeat = setInterval(() => {
        void events
          .recheck(subscriber)
          .then(async (valid) => {
            if (valid) await stream.write(": heartbeat\n\n");
          })
          .catch(() => ended());
      }, Math.max(1, config.eventsHeartbeatSeconds) * 1000);
      try {
        await stream.writeSSE({ event: "ready", data: JSON.stringify({ userId: user.id }) });
        await closed;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  });
}
