// The notification inbox, outgoing webhooks and the producers that notify people.
export { Notifications, notificationJson, type NotifyInput, type NotificationsDeps } from "./notifications.ts";
export { Webhooks, webhookJson, retryDelay, type WebhookOptions, type WebhookPayload } from "./webhooks.ts";
export { signWebhook, verifyWebhook, signatureHeader, timestampHeader, deliveryHeader, eventHeader } from "./webhook-signature.ts";
export { notifyMentionedPeople } from "./mention-notifications.ts";
