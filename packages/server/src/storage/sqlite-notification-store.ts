import type Database from "better-sqlite3";
import type { AttemptRow, DeliveryRow, NotificationRow, NotificationSettingsRow, NotificationStore, WebhookRow } from "./notification-store.ts";

const now = () => new Date().toISOString();

const notificationFrom = (row: any): NotificationRow => ({
  seq: row.seq,
  id: row.id,
  userId: row.user_id,
  workspaceId: row.workspace_id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  link: row.link,
  taskId: row.task_id,
  runId: row.run_id,
  createdAt: row.created_at,
  readAt: row.read_at,
});
const webhookFrom = (row: any): WebhookRow => ({
  id: row.id,
  userId: row.user_id,
  workspaceId: row.workspace_id,
  url: row.url,
  secret: row.secret,
  kinds: JSON.parse(row.kinds),
  createdAt: row.created_at,
});
const deliveryFrom = (row: any): DeliveryRow => ({
  seq: row.seq,
  id: row.id,
  webhookId: row.webhook_id,
  event: row.event,
  payload: row.payload,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  createdAt: row.created_at,
});
const attemptFrom = (row: any): AttemptRow => ({ attempt: row.attempt, statusCode: row.status_code, error: row.error, durationMs: row.duration_ms, at: row.at });

// Only notifications of workspaces the person still belongs to.
const stillMember = "EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = n.workspace_id AND m.user_id = n.user_id)";

export class SqliteNotificationStore implements NotificationStore {
  constructor(private readonly db: Database.Database) {}

  async add(row: Omit<NotificationRow, "seq" | "readAt">) {
    const result = this.db
      .prepare("INSERT INTO notifications (id, user_id, workspace_id, kind, title, body, link, task_id, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(row.id, row.userId, row.workspaceId, row.kind, row.title, row.body, row.link, row.taskId, row.runId, row.createdAt);
    return { ...row, seq: Number(result.lastInsertRowid), readAt: null };
  }
  async list(userId: string, options: { before?: number; limit: number; unreadOnly?: boolean }) {
    return this.db
      .prepare(
        `SELECT * FROM notifications n WHERE user_id = ? AND (? IS NULL OR seq < ?) AND (? = 0 OR read_at IS NULL) AND ${stillMember} ORDER BY seq DESC LIMIT ?`,
      )
      .all(userId, options.before ?? null, options.before ?? null, options.unreadOnly ? 1 : 0, options.limit)
      .map(notificationFrom);
  }
  async unreadCount(userId: string) {
    return this.db.prepare(`SELECT COUNT(*) FROM notifications n WHERE user_id = ? AND read_at IS NULL AND ${stillMember}`).pluck().get(userId) as number;
  }
  async markRead(userId: string, ids: string[], at: string) {
    const update = this.db.prepare("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL");
    return this.db.transaction(() => ids.filter((id) => update.run(at, id, userId).changes > 0))();
  }
  async markAllRead(userId: string, at: string) {
    return this.db.prepare("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL").run(at, userId).changes;
  }

  async getSettings(userId: string): Promise<NotificationSettingsRow> {
    const row = this.db.prepare("SELECT email, email_kinds FROM notification_settings WHERE user_id = ?").get(userId) as any;
    return row ? { email: row.email === 1, emailKinds: JSON.parse(row.email_kinds) } : { email: false, emailKinds: {} };
  }
  async putSettings(userId: string, settings: NotificationSettingsRow) {
    this.db
      .prepare(
        "INSERT INTO notification_settings (user_id, email, email_kinds) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET email = excluded.email, email_kinds = excluded.email_kinds",
      )
      .run(userId, settings.email ? 1 : 0, JSON.stringify(settings.emailKinds));
  }

  async addWebhook(row: Omit<WebhookRow, "createdAt">) {
    const createdAt = now();
    this.db
      .prepare("INSERT INTO webhooks (id, user_id, workspace_id, url, secret, kinds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(row.id, row.userId, row.workspaceId, row.url, row.secret, JSON.stringify(row.kinds), createdAt);
    return { ...row, createdAt };
  }
  async getWebhook(id: string) {
    const row = this.db.prepare("SELECT * FROM webhooks WHERE id = ?").get(id);
    return row ? webhookFrom(row) : null;
  }
  async listWebhooks(userId: string, workspaceId: string) {
    return this.db.prepare("SELECT * FROM webhooks WHERE user_id = ? AND workspace_id = ? ORDER BY created_at, rowid").all(userId, workspaceId).map(webhookFrom);
  }
  async deleteWebhook(id: string) {
    this.db.prepare("DELETE FROM webhooks WHERE id = ?").run(id);
  }

  async addDelivery(row: { id: string; webhookId: string; event: string; payload: string; nextAttemptAt: string }) {
    const createdAt = now();
    const result = this.db
      .prepare("INSERT INTO webhook_deliveries (id, webhook_id, event, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)")
      .run(row.id, row.webhookId, row.event, row.payload, row.nextAttemptAt, createdAt);
    return { ...row, seq: Number(result.lastInsertRowid), status: "pending" as const, attempts: 0, createdAt };
  }
  async getDelivery(id: string) {
    const row = this.db.prepare("SELECT * FROM webhook_deliveries WHERE id = ?").get(id);
    return row ? deliveryFrom(row) : null;
  }
  async dueDeliveries(at: string, limit: number) {
    return this.db
      .prepare("SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?")
      .all(at, limit)
      .map(deliveryFrom);
  }
  async postpone(deliveryId: string, at: string) {
    this.db.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending'").run(at, deliveryId);
  }
  async nextDueAt() {
    return (this.db.prepare("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'").pluck().get() as string | null) ?? null;
  }
  async recordAttempt(deliveryId: string, attempt: AttemptRow, next: { status: DeliveryRow["status"]; nextAttemptAt: string | null }) {
    this.db.transaction(() => {
      const seq = this.db.prepare("SELECT seq FROM webhook_deliveries WHERE id = ?").pluck().get(deliveryId) as number | undefined;
      if (seq === undefined) return; // the webhook was deleted meanwhile
      this.db
        .prepare("INSERT INTO webhook_attempts (delivery_seq, attempt, status_code, error, duration_ms, at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(seq, attempt.attempt, attempt.statusCode, attempt.error, attempt.durationMs, attempt.at);
      this.db.prepare("UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ? WHERE seq = ?").run(attempt.attempt, next.status, next.nextAttemptAt, seq);
    })();
  }
  async listDeliveries(webhookId: string, options: { before?: number; limit: number }) {
    const deliveries = this.db
      .prepare("SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?")
      .all(webhookId, options.before ?? null, options.before ?? null, options.limit)
      .map(deliveryFrom);
    const attempts = this.db.prepare("SELECT * FROM webhook_attempts WHERE delivery_seq = ? ORDER BY attempt");
    return deliveries.map((delivery) => ({ ...delivery, attemptLog: attempts.all(delivery.seq).map(attemptFrom) }));
  }
}
