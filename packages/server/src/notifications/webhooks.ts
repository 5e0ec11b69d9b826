import type { Notification, Webhook, WebhookDelivery } from "@cocanvas/protocol";
import { newId, newSecret } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { DeliveryRow, NotificationStore, WebhookRow } from "../storage/notification-store.ts";
import { postWebhook } from "./webhook-request.ts";
import { deliveryHeader, eventHeader, signatureHeader, signWebhook, timestampHeader } from "./webhook-signature.ts";

export interface WebhookOptions {
  /** Tries per payload, the first included. */
  maxAttempts: number;
  /** The wait before the second try; each later wait doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one try waits for an answer. */
  timeoutMs: number;
  /** Deliver to loopback and private-network addresses too. */
  allowPrivateAddresses: boolean;
  /** The clock (tests may move it); `Date.now` by default. */
  now?: () => number;
}

export interface WebhookDeps {
  store: NotificationStore;
  logger: Logger;
  /** Whether the person still belongs to the workspace: a webhook of someone removed delivers nothing more. */
  isMember(userId: string, workspaceId: string): Promise<boolean>;
}

/** The JSON body every delivery sends. */
export interface WebhookPayload {
  /** The delivery id (also in `X-Cocanvas-Delivery`), the same on every retry. */
  id: string;
  event: string;
  workspaceId: string;
  createdAt: string;
  data: unknown;
}

export const webhookJson = (row: WebhookRow): Webhook => ({ id: row.id, workspaceId: row.workspaceId, url: row.url, kinds: row.kinds, createdAt: row.createdAt });

/** The wait after failed try number `attempt` (1-based): base, 2×base, 4×base, … capped. */
export function retryDelay(attempt: number, options: Pick<WebhookOptions, "baseDelayMs" | "maxDelayMs">): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Outgoing webhooks: a person adds an endpoint in a workspace (and gets its secret once);
 * notifications of the kinds they chose, and anything a capability sends there with
 * `send`, are POSTed as signed JSON (see `webhook-signature.ts`). Every payload is a row
 * in `webhook_deliveries` before the first try, so pending ones survive a restart; a try
 * that fails (no answer, or not 2xx) is retried with exponential backoff up to
 * `maxAttempts`, and every try is logged (status code, error, time) for the owner.
 */
export class Webhooks {
  readonly #inFlight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Infinity;
  #stopped = false;
  readonly #now: () => number;

  constructor(
    private readonly deps: WebhookDeps,
    private readonly options: WebhookOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  /** Adds an endpoint; the secret is returned here only. */
  async create(input: { userId: string; workspaceId: string; url: string; kinds: string[] }): Promise<{ webhook: Webhook; secret: string }> {
    const secret = newSecret("whsec_");
    const row = await this.deps.store.addWebhook({ id: newId(), ...input, secret });
    return { webhook: webhookJson(row), secret };
  }

  /**
   * Queues `data` for one endpoint under `event` and tries it at once. Tasks call this for
   * a task that points at a webhook; the caller checks that the endpoint is the person's.
   */
  async send(webhook: Pick<WebhookRow, "id" | "workspaceId">, event: string, data: unknown): Promise<string> {
    const id = newId();
    const payload: WebhookPayload = { id, event, workspaceId: webhook.workspaceId, createdAt: new Date(this.#now()).toISOString(), data };
    await this.deps.store.addDelivery({ id, webhookId: webhook.id, event, payload: JSON.stringify(payload), nextAttemptAt: new Date(this.#now()).toISOString() });
    this.#kick();
    return id;
  }

  /** Queues a notification for the person's endpoints in its workspace that take its kind. */
  async sendNotification(userId: string, notification: Notification): Promise<void> {
    for (const webhook of await this.deps.store.listWebhooks(userId, notification.workspaceId)) {
      if (webhook.kinds.length === 0 || webhook.kinds.includes(notification.kind)) await this.send(webhook, "notification-created", { notification });
    }
  }

  /** An endpoint's deliveries with their tries, newest first. */
  async deliveries(webhookId: string, options: { before?: number; limit: number }): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
    const rows = await this.deps.store.listDeliveries(webhookId, { ...options, limit: options.limit + 1 });
    const page = rows.slice(0, options.limit);
    return {
      items: page.map((row) => ({
        id: row.id,
        event: row.event,
        status: row.status,
        nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
        createdAt: row.createdAt,
        attempts: row.attemptLog,
      })),
      nextCursor: rows.length > options.limit ? String(page.at(-1)!.seq) : null,
    };
  }

  /** Starts trying pending deliveries (those left by a previous run too). */
  start(): void {
    this.#stopped = false;
    this.#kick();
  }

  /** Stops trying; resolves once the tries under way have finished and been logged. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await Promise.allSettled(this.#inFlight.values());
  }

  /** Starts every due delivery that is not under way, then sets a timer for the next one. */
  #kick(): void {
    if (this.#stopped) return;
    void (async () => {
      const now = this.#now();
      for (const delivery of await this.deps.store.dueDeliveries(new Date(now).toISOString(), 50)) {
        if (this.#inFlight.has(delivery.id) || this.#stopped) continue;
        const attempt = (async () => {
          // While it is tried, its next try moves past the timeout: another kick (or a restart) does not start it twice.
          await this.deps.store.postpone(delivery.id, new Date(now + this.options.timeoutMs + 5_000).toISOString());
          await this.#attempt(delivery);
        })()
          .catch((error) => this.deps.logger.error({ err: error, deliveryId: delivery.id }, "a webhook delivery failed unexpectedly"))
          .finally(() => {
            this.#inFlight.delete(delivery.id);
            this.#kick();
          });
        this.#inFlight.set(delivery.id, attempt);
      }
      const next = await this.deps.store.nextDueAt();
      if (next) this.#wakeAt(Date.parse(next));
    })().catch((error) => this.deps.logger.error({ err: error }, "could not read pending webhook deliveries"));
  }

  #wakeAt(at: number): void {
    if (this.#stopped || (this.#timer && at >= this.#timerAt)) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Infinity;
      this.#kick();
    }, Math.max(0, at - this.#now()));
    this.#timer.unref();
  }

  async #attempt(delivery: DeliveryRow): Promise<void> {
    const webhook = await this.deps.store.getWebhook(delivery.webhookId);
    if (!webhook) return;
    const attempt = delivery.attempts + 1;
    const started = this.#now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const ownerLeft = !(await this.deps.isMember(webhook.userId, webhook.workspaceId));
    if (ownerLeft) {
      error = "the webhook's owner is no longer a member of the workspace";
    } else {
      const timestamp = Math.floor(started / 1000);
      try {
        statusCode = await postWebhook(
          webhook.url,
          {
            "Content-Type": "application/json",
            "User-Agent": "Cocanvas-Webhook",
            [signatureHeader]: signWebhook(webhook.secret, timestamp, delivery.payload),
            [timestampHeader]: String(timestamp),
            [deliveryHeader]: delivery.id,
            [eventHeader]: delivery.event,
          },
          delivery.payload,
          { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivateAddresses },
        );
        if (statusCode < 200 || statusCode >= 300) error = `the receiver answered HTTP ${statusCode}`;
      } catch (caught) {
        error = (caught as Error).message || String(caught);
      }
    }
    const finished = this.#now();
    const delivered = error === null;
    const giveUp = !delivered && (attempt >= this.options.maxAttempts || ownerLeft);
    const next = delivered
      ? { status: "delivered" as const, nextAttemptAt: null }
      : giveUp
        ? { status: "failed" as const, nextAttemptAt: null }
        : { status: "pending" as const, nextAttemptAt: new Date(finished + retryDelay(attempt, this.options)).toISOString() };
    await this.deps.store.recordAttempt(delivery.id, { attempt, statusCode, error, durationMs: finished - started, at: new Date(finished).toISOString() }, next);
    // The URL may carry a token in its path or query: only the ids are logged.
    this.deps.logger[delivered ? "debug" : "info"]({ webhookId: webhook.id, deliveryId: delivery.id, attempt, statusCode, error, status: next.status }, "webhook delivery attempt");
  }
}
