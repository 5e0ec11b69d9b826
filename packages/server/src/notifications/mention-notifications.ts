import type { Comments, PersonMentionEvent } from "../comments/comments.ts";
import type { Notifications } from "./notifications.ts";

const excerptLength = 280;

/**
 * `@Name` of a member in a new comment or reply notifies that member (kind `mention`),
 * with the comment's text and a link to the canvas. Returns the function that stops it.
 */
export function notifyMentionedPeople(comments: Comments, notifications: Notifications): () => void {
  return comments.onPersonMention((event: PersonMentionEvent) =>
    notifications.notify({
      userId: event.mentionedUserId,
      workspaceId: event.workspaceId,
      kind: "mention",
      title: `${event.author.name} mentioned you on “${event.canvasTitle}”`,
      body: event.text.length > excerptLength ? `${event.text.slice(0, excerptLength - 1)}…` : event.text,
      link: `/c/${event.canvasId}`,
    }),
  );
}
