import * as Y from "yjs";

/**
 * The conversation about a canvas lives in the canvas's own Y.Doc (a Y.Array of
 * Y.Maps), so everyone who has the canvas open sees every message, and the model's reply
 * streams to all of them through the same sync as the content.
 */
export const chatArrayName = "chat";
/** Per-canvas AI settings, shared live: `applyDirectly` (boolean). */
export const aiSettingsMapName = "ai";

export interface ChatAuthor {
  id: string | null;
  name: string;
  color: string;
  kind: "person" | "agent";
}

export type ChatMessageStatus = "streaming" | "done" | "stopped" | "failed";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  author: ChatAuthor;
  text: string;
  runId: string | null;
  status: ChatMessageStatus;
  /** Why the run failed, in words for people. */
  error: string | null;
  /** Suggestions this reply made. */
  suggestionIds: string[];
  createdAt: string;
}

export function chatOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(chatArrayName);
}

/** Appends a message; its `text` is a Y.Text so a reply can stream into it. */
export function appendChatMessage(doc: Y.Doc, message: Omit<ChatMessage, "suggestionIds" | "error"> & { error?: string | null }): Y.Map<unknown> {
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    entry.set("id", message.id);
    entry.set("role", message.role);
    entry.set("author", message.author);
    entry.set("text", new Y.Text(message.text));
    entry.set("runId", message.runId);
    entry.set("status", message.status);
    entry.set("error", message.error ?? null);
    entry.set("suggestionIds", new Y.Array<string>());
    entry.set("createdAt", message.createdAt);
    chatOf(doc).push([entry]);
  });
  return entry;
}

export function findChatMessage(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  for (const entry of chatOf(doc)) if (entry.get("id") === id) return entry;
  return null;
}

export function readChatMessage(entry: Y.Map<unknown>): ChatMessage {
  const text = entry.get("text");
  const suggestionIds = entry.get("suggestionIds");
  return {
    id: String(entry.get("id")),
    role: entry.get("role") === "assistant" ? "assistant" : "user",
    author: entry.get("author") as ChatAuthor,
    text: text instanceof Y.Text ? text.toString() : String(text ?? ""),
    runId: (entry.get("runId") as string | null) ?? null,
    status: (entry.get("status") as ChatMessageStatus) ?? "done",
    error: (entry.get("error") as string | null) ?? null,
    suggestionIds: suggestionIds instanceof Y.Array ? (suggestionIds.toArray() as string[]) : [],
    createdAt: String(entry.get("createdAt") ?? ""),
  };
}

export function readChat(doc: Y.Doc): ChatMessage[] {
  return chatOf(doc).toArray().map(readChatMessage);
}

/** Whether AI changes on this canvas are applied directly instead of suggested. */
export function aiAppliesDirectly(doc: Y.Doc): boolean {
  return doc.getMap(aiSettingsMapName).get("applyDirectly") === true;
}

export function setAiAppliesDirectly(doc: Y.Doc, value: boolean): void {
  doc.getMap(aiSettingsMapName).set("applyDirectly", value);
}
