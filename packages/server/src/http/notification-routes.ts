import { ApiError, NotificationReadBody, NotificationSettingsBody, WebhookCreateBody } from "@cocanvas/protocol";
import { webhookJson } from "../notifications/webhooks.ts";
import type { Services } from "../services.ts";
import type { ApiContext, ApiRouter } from "./api-router.ts";

const defaultPageSize = 30;
const maxPageSize = 100;

/** `?limit=` and `?cursor=` of a paged list; 400 naming the parameter when malformed. */
function pageOf(context: ApiContext): { limit: number; cursor?: string } {
  const limitText = context.req.query("limit");
  const limit = limitText === undefined ? defaultPageSize : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) throw new ApiError("invalid_request", `limit must be a whole number from 1 to ${maxPageSize}.`);
  const cursor = context.req.query("cursor");
  if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new ApiError("invalid_request", "cursor must be the nextCursor of a previous page.");
  return { limit, ...(cursor === undefined ? {} : { cursor }) };
}

/** Your inbox, your notification settings, and your webhooks per workspace. */
export function addNotificationRoutes(api: ApiRouter, services: Services) {
  const { notifications, access, storage } = services;
  const me = (context: ApiContext) => context.get("user")!.id;

  api.add(
    "get",
    "/api/notifications",
    { summary: "Your notifications, newest first, paged", query: { limit: "page size (1-100, default 30)", cursor: "nextCursor of the previous page", unread: "true: unread only" } },
    async (context) => {
      const page = pageOf(context);
      return context.json(await notifications.list(me(context), { ...page, unreadOnly: context.req.query("unread") === "true" }));
    },
  );

  api.add("get", "/api/notifications/unread-count", { summary: "How many of your notifications are unread" }, async (context) =>
    context.json({ unread: await notifications.unreadCount(me(context)) }),
  );

  api.add("post", "/api/notifications/read", { summary: "Mark some of your notifications read (ids not yours are ignored)", body: NotificationReadBody }, async (context, body) =>
    context.json(await notifications.markRead(me(context), body.ids)),
  );

  api.add("post", "/api/notifications/read-all", { summary: "Mark all your notifications read" }, async (context) => context.json(await notifications.markAllRead(me(context))));

  api.add("get", "/api/notifications/settings", { summary: "Your notification settings (email per kind or overall)" }, async (context) =>
    context.json(await notifications.settings(me(context))),
  );

  api.add("put", "/api/notifications/settings", { summary: "Change your notification settings", body: NotificationSettingsBody }, async (context, body) =>
    context.json(await notifications.putSettings(me(context), body)),
  );

  api.add("get", "/api/workspaces/{id}/webhooks", { summary: "Your webhooks in a workspace (never their secrets)", role: "viewer" }, async (context) => {
    const { workspace } = await access.requireWorkspace(me(context), context.req.param("id")!, "viewer");
    return context.json({ items: (await storage.notifications.listWebhooks(me(context), workspace.id)).map(webhookJson) });
  });

  api.add(
    "post",
    "/api/workspaces/{id}/webhooks",
    { summary: "Add a webhook: notifications of the chosen kinds (all when none) are POSTed there, signed; the secret is shown once", role: "viewer", body: WebhookCreateBody, success: 201 },
    async (context, body) => {
      const { workspace } = await access.requireWorkspace(me(context), context.req.param("id")!, "viewer");
      if ((await storage.notifications.listWebhooks(me(context), workspace.id)).length >= 20) throw new ApiError("conflict", "You have 20 webhooks in this workspace; delete one first.");
      const { webhook, secret } = await notifications.webhooks.create({ userId: me(context), workspaceId: workspace.id, url: body.url, kinds: body.kinds });
      return context.json({ ...webhook, secret }, 201);
    },
  );

  /** One of the caller's webhooks in a workspace they still belong to; 404 for anyone else's. */
  async function ownWebhook(context: ApiContext) {
    const webhook = await storage.notifications.getWebhook(context.req.param("id")!);
    if (!webhook || webhook.userId !== me(context) || !(await access.workspaceRole(me(context), webhook.workspaceId))) throw new ApiError("not_found", "No such webhook.");
    return webhook;
  }

  api.add("delete", "/api/webhooks/{id}", { summary: "Delete one of your webhooks (and its delivery log)", success: 204 }, async (context) => {
    const webhook = await ownWebhook(context);
    await storage.notifications.deleteWebhook(webhook.id);
    return context.body(null, 204);
  });

  api.add("post", "/api/webhooks/{id}/test", { summary: "Send a `ping` payload to one of your webhooks", success: 202 }, async (context) => {
    const webhook = await ownWebhook(context);
    const id = await notifications.webhooks.send(webhook, "ping", { message: "This is a test delivery from Cocanvas." });
    return context.json({ deliveryId: id }, 202);
  });

  api.add(
    "get",
    "/api/webhooks/{id}/deliveries",
    { summary: "The delivery log of one of your webhooks: each payload, newest first, with every try (status code, error, time)", query: { limit: "page size (1-100, default 30)", cursor: "nextCursor of the previous page" } },
    async (context) => {
      const webhook = await ownWebhook(context);
      const page = pageOf(context);
      return context.json(await notifications.webhooks.deliveries(webhook.id, { limit: page.limit, ...(page.cursor ? { before: Number(page.cursor) } : {}) }));
    },
  );
}
