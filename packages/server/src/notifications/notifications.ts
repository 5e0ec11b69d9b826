import { NotificationKind, type Notification, type NotificationSettings } from "@cocanvas/protocol";
import { z } from "zod";
import type { LiveEvents } from "../events/live-events.ts";
import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { NotificationRow, NotificationStore } from "../storage/notification-store.ts";
import type { Storage } from "../storage/storage.ts";
import type { Webhooks } from "./webhooks.ts";

/** What a capability hands to `notify`. */
export interface NotifyInput {
  userId: string;
  workspaceId: string;
  /** A lowercase slug: `mention`, `task-run`, … (people choose email per kind). */
  kind: string;
  title: string;
  body?: string;
  /** A path in the app, e.g. `/c/{canvasId}`. */
  link?: string;
  taskId?: string;
  runId?: string;
}

const NotifyInputSchema = z.object({
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  kind: NotificationKind,
  title: z.string().trim().min(1).max(300),
  body: z.string().max(4000).optional(),
  // Only paths inside the app: never another site, never `javascript:`.
  link: z
    .string()
    .max(2000)
    .regex(/^\/(?![/\\])/, "a path inside the app, starting with a single /")
    .optional(),
  taskId: z.string().max(100).optional(),
  runId: z.string().max(100).optional(),
});

export const notificationJson = (row: NotificationRow): Notification => ({
  id: row.id,
  workspaceId: row.workspaceId,
  kind: row.kind,
  title: row.title,
  body: row.body,
  link: row.link,
  taskId: row.taskId,
  runId: row.runId,
  createdAt: row.createdAt,
  readAt: row.readAt,
});

export interface NotificationsDeps {
  store: NotificationStore;
  storage: Pick<Storage, "getUserById" | "getMemberRole">;
  events: LiveEvents;
  mailer: Pick<Mailer, "configured" | "send">;
  webhooks: Webhooks;
  logger: Logger;
  /** The origin links in email point to (`COCANVAS_PUBLIC_URL`); empty: email shows the path only. */
  publicUrl: string;
}

/**
 * The one notification inbox. A capability calls `notify`; the notification is stored,
 * pushed to the person's open streams (`notification-created`), emailed when their
 * settings ask for its kind and email is configured, and sent to their webhooks in the
 * workspace that take its kind.
 *
 * @example
 * ```ts
 * await services.notifications.notify({ userId, workspaceId, kind: "task-run", title: "Morning digest finished", link: `/c/${canvasId}`, taskId, runId });
 * ```
 */
export class Notifications {
  constructor(private readonly deps: NotificationsDeps) {}

  get webhooks(): Webhooks {
    return this.deps.webhooks;
  }

  /**
   * Notifies one person. Throws on malformed input (a programming error); a person who is
   * no longer a member of the workspace is not notified. Email and webhook failures are
   * logged, never thrown: the notification is in the inbox either way.
   */
  async notify(input: NotifyInput): Promise<void> {
    const parsed = NotifyInputSchema.safeParse(input);
    if (!parsed.success) throw new Error(`notify: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
    const fields = parsed.data;
    if (!(await this.deps.storage.getMemberRole(fields.workspaceId, fields.userId))) {
      this.deps.logger.debug({ userId: fields.userId, workspaceId: fields.workspaceId, kind: fields.kind }, "not notified: not a member of the workspace");
      return;
    }
    const row = await this.deps.store.add({
      id: newId(),
      userId: fields.userId,
      workspaceId: fields.workspaceId,
      kind: fields.kind,
      title: fields.title,
      body: fields.body ?? null,
      link: fields.link ?? null,
      taskId: fields.taskId ?? null,
      runId: fields.runId ?? null,
      createdAt: new Date().toISOString(),
    });
    const notification = notificationJson(row);
    this.deps.events.publishToUser(row.userId, { type: "notification-created", notification, unread: await this.deps.store.unreadCount(row.userId) });
    await Promise.all([
      this.#email(row.userId, notification).catch((error) => this.deps.logger.warn({ err: error, notificationId: row.id }, "a notification could not be emailed")),
      this.deps.webhooks.sendNotification(row.userId, notification).catch((error) => this.deps.logger.error({ err: error, notificationId: row.id }, "a notification could not be queued for webhooks")),
    ]);
  }

  /** The person's notifications, newest first; `cursor` is the `nextCursor` of the previous page. */
  async list(userId: string, options: { cursor?: string; limit: number; unreadOnly?: boolean }): Promise<{ items: Notification[]; nextCursor: string | null }> {
    const before = options.cursor === undefined ? undefined : Number(options.cursor);
    const rows = await this.deps.store.list(userId, { before, limit: options.limit + 1, unreadOnly: options.unreadOnly });
    const page = rows.slice(0, options.limit);
    return { items: page.map(notificationJson), nextCursor: rows.length > options.limit ? String(page.at(-1)!.seq) : null };
  }

  unreadCount(userId: string): Promise<number> {
    return this.deps.store.unreadCount(userId);
  }

  /** Marks the person's notifications among `ids` read (others' ids are ignored); returns the unread count. */
  async markRead(userId: string, ids: string[]): Promise<{ marked: string[]; unread: number }> {
    const marked = await this.deps.store.markRead(userId, ids, new Date().toISOString());
    const unread = await this.deps.store.unreadCount(userId);
    if (marked.length) this.deps.events.publishToUser(userId, { type: "notification-read", ids: marked, unread });
    return { marked, unread };
  }

  async markAllRead(userId: string): Promise<{ unread: number }> {
    await this.deps.store.markAllRead(userId, new Date().toISOString());
    this.deps.events.publishToUser(userId, { type: "notification-read", ids: "all", unread: 0 });
    return { unread: 0 };
  }

  async settings(userId: string): Promise<NotificationSettings> {
    return { ...(await this.deps.store.getSettings(userId)), emailAvailable: this.deps.mailer.configured };
  }

  async putSettings(userId: string, settings: { email: boolean; emailKinds: Record<string, boolean> }): Promise<NotificationSettings> {
    await this.deps.store.putSettings(userId, { email: settings.email, emailKinds: settings.emailKinds });
    return this.settings(userId);
  }

  async #email(userId: string, notification: Notification): Promise<void> {
    if (!this.deps.mailer.configured) return;
    const settings = await this.deps.store.getSettings(userId);
    if (!(settings.emailKinds[notification.kind] ?? settings.email)) return;
    const user = await this.deps.storage.getUserById(userId);
    if (!user) return;
    const link = notification.link ? `${this.deps.publicUrl.replace(/\/$/, "")}${notification.link}` : null;
    const text = [notification.body, link && `Open it: ${link}`, "You receive this email because of your notification settings in Cocanvas."].filter(Boolean).join("\n\n");
    await this.deps.mailer.send({ to: user.email, subject: notification.title, text });
  }
}
