/** One notification as stored. */
export interface NotificationRow {
  /** Increasing with every notification: the paging cursor. */
  seq: number;
  id: string;
  userId: string;
  workspaceId: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  taskId: string | null;
  runId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationSettingsRow {
  email: boolean;
  emailKinds: Record<string, boolean>;
}

export interface WebhookRow {
  id: string;
  userId: string;
  workspaceId: string;
  url: string;
  secret: string;
  kinds: string[];
  createdAt: string;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface DeliveryRow {
  seq: number;
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
}

export interface AttemptRow {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

/**
 * The notification inbox, per-person settings, webhook endpoints and their delivery log.
 * Reads of the inbox are keyed by the person: nothing returns another person's rows, and
 * only notifications of workspaces the person still belongs to are listed or counted.
 */
export interface NotificationStore {
  add(row: Omit<NotificationRow, "seq" | "readAt">): Promise<NotificationRow>;
  /** The person's notifications, newest first, older than `before` (a seq) when given. */
  list(userId: string, options: { before?: number; limit: number; unreadOnly?: boolean }): Promise<NotificationRow[]>;
  unreadCount(userId: string): Promise<number>;
  /** Marks those of `ids` that are the person's and unread as read; returns the ids it changed. */
  markRead(userId: string, ids: string[], at: string): Promise<string[]>;
  /** Marks every unread notification of the person read; returns how many. */
  markAllRead(userId: string, at: string): Promise<number>;

  getSettings(userId: string): Promise<NotificationSettingsRow>;
  putSettings(userId: string, settings: NotificationSettingsRow): Promise<void>;

  addWebhook(row: Omit<WebhookRow, "createdAt">): Promise<WebhookRow>;
  getWebhook(id: string): Promise<WebhookRow | null>;
  listWebhooks(userId: string, workspaceId: string): Promise<WebhookRow[]>;
  deleteWebhook(id: string): Promise<void>;

  addDelivery(row: { id: string; webhookId: string; event: string; payload: string; nextAttemptAt: string }): Promise<DeliveryRow>;
  getDelivery(id: string): Promise<DeliveryRow | null>;
  /** Pending deliveries due at or before `at`, oldest first. */
  dueDeliveries(at: string, limit: number): Promise<DeliveryRow[]>;
  /** Moves a pending delivery's next try to `at` (a lease while a try is under way). */
  postpone(deliveryId: string, at: string): Promise<void>;
  /** The earliest `nextAttemptAt` of a pending delivery, or null. */
  nextDueAt(): Promise<string | null>;
  /** Records one try and the delivery's new state, in one transaction. */
  recordAttempt(deliveryId: string, attempt: AttemptRow, next: { status: DeliveryStatus; nextAttemptAt: string | null }): Promise<void>;
  /** A webhook's deliveries, newest first, older than `before` (a seq) when given, each with its tries. */
  listDeliveries(webhookId: string, options: { before?: number; limit: number }): Promise<(DeliveryRow & { attemptLog: AttemptRow[] })[]>;
}
