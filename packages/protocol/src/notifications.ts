import { z } from "zod";

/** A notification kind: a short lowercase slug (`mention`, `task-run`, …). */
export const NotificationKind = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "a kind is a lowercase slug of at most 40 characters, e.g. mention or task-run");

/** The kinds the app knows and lists in its settings; producers may add others. */
export const notificationKinds: readonly { kind: string; label: string }[] = [
  { kind: "mention", label: "Someone mentions you in a comment" },
  { kind: "task-run", label: "A task run finishes" },
];

/** One entry of a person's inbox. */
export interface Notification {
  id: string;
  workspaceId: string;
  kind: string;
  title: string;
  body: string | null;
  /** A path in the app (`/c/{canvasId}`), or null. */
  link: string | null;
  taskId: string | null;
  runId: string | null;
  createdAt: string;
  /** When the person marked it read; null while unread. */
  readAt: string | null;
}

/** A person's notification settings: the in-app inbox always receives everything; email is opt-in. */
export interface NotificationSettings {
  /** Email every notification (kinds in `emailKinds` override this). */
  email: boolean;
  /** Per kind: email it (true) or not (false), whatever `email` says. */
  emailKinds: Record<string, boolean>;
  /** Whether the server can send email at all (`COCANVAS_SMTP_URL`); read-only. */
  emailAvailable: boolean;
}

export const NotificationSettingsBody = z.strictObject({
  email: z.boolean(),
  emailKinds: z
    .record(NotificationKind, z.boolean())
    .refine((kinds) => Object.keys(kinds).length <= 50, "at most 50 kinds")
    .default({}),
});
export type NotificationSettingsBody = z.infer<typeof NotificationSettingsBody>;

export const NotificationReadBody = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).min(1, "name at least one notification").max(500, "at most 500 at once"),
});

/** A webhook endpoint as the API shows it (the secret only once, when it is created). */
export interface Webhook {
  id: string;
  workspaceId: string;
  url: string;
  /** Notification kinds delivered there; empty: every kind. */
  kinds: string[];
  createdAt: string;
}

export const WebhookCreateBody = z.strictObject({
  url: z
    .string()
    .max(2000, "a URL of at most 2000 characters")
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
      } catch {
        return false;
      }
    }, "an http:// or https:// URL without a user name or password"),
  kinds: z.array(NotificationKind).max(50).default([]),
});

/** One try to deliver a webhook payload. */
export interface WebhookAttempt {
  attempt: number;
  /** The receiver's HTTP status, or null when no answer came (refused, timed out, blocked). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

/** One payload sent to a webhook, with every try. */
export interface WebhookDelivery {
  id: string;
  event: string;
  status: "pending" | "delivered" | "failed";
  /** When the next try is due (pending only). */
  nextAttemptAt: string | null;
  createdAt: string;
  attempts: WebhookAttempt[];
}

/** What changed in a workspace, so lists showing it refetch. */
export type WorkspaceChange = "canvases" | "members" | "agents" | "trash" | "workspace";

/** Events of the per-person live stream (`GET /api/events`, server-sent events named by `type`). */
export type LiveEvent =
  | { type: "notification-created"; notification: Notification; unread: number }
  | { type: "notification-read"; ids: string[] | "all"; unread: number }
  | { type: "workspace-changed"; workspaceId: string; what: WorkspaceChange };
