import { markStaleSuggestions } from "@cocanvas/content";
import * as Y from "yjs";
import type { Logger } from "../logger.ts";
import type { AiStore, FeedbackKind } from "../storage/ai-store.ts";

/** The transaction origin of a decision made through the HTTP API. */
export interface ApiDecisionOrigin {
  userId: string;
}

/** Who made a change: a live connection (Hocuspocus puts our context on it) or an API call. */
function userOf(origin: unknown): string | null {
  const candidate = origin as { context?: { userId?: unknown }; userId?: unknown } | null;
  const id = candidate?.context?.userId ?? candidate?.userId;
  return typeof id === "string" ? id : null;
}

function feedbackKind(status: unknown, previous: unknown, edited: boolean): FeedbackKind | null {
  if (status === "accepted") return edited ? "edited" : "accepted";
  // Dismissing a suggestion whose target text had changed (stale) prefers nothing: the
  // text that was kept is not what the person chose over the suggestion.
  if (status === "rejected") return previous === "stale" ? null : "rejected";
  if ((status === "pending" || status === "stale") && (previous === "accepted" || previous === "rejected")) return "undone";
  return null;
}

/** How long the text must rest before suggestions are checked for staleness. */
const staleCheckDelayMs = 250;
const staleCheckOrigin = { name: "cocanvas-stale-check" };

/**
 * Looks after the suggestions of a live canvas while it is loaded:
 * - records every decision — made in a browser (one undoable Yjs change) or through the
 *   API — with the person who made it, next to the run's provenance (the data preference
 *   pairs are later built from); dismissing a stale suggestion is no decision about it;
 * - marks suggestions whose target text changed as stale, shortly after the text rests
 *   (and settles two acceptances of one suggestion made at the same moment).
 * Returns the function that stops watching.
 */
export function watchSuggestions(canvasId: string, doc: Y.Doc, store: AiStore, logger: Logger): () => void {
  const suggestions = doc.getMap("suggestions");
  let staleCheck: NodeJS.Timeout | undefined;
  const scheduleStaleCheck = (_update: Uint8Array, origin: unknown) => {
    if (origin === staleCheckOrigin || suggestions.size === 0 || staleCheck) return;
    staleCheck = setTimeout(() => {
      staleCheck = undefined;
      try {
        markStaleSuggestions(doc, staleCheckOrigin);
      } catch (error) {
        logger.warn({ err: error, canvasId }, "checking suggestions for staleness failed");
      }
    }, staleCheckDelayMs);
  };
  doc.on("update", scheduleStaleCheck);
  const observer = (events: Y.YEvent<any>[], transaction: Y.Transaction) => {
    for (const event of events) {
      const entry = event.target;
      if (!(entry instanceof Y.Map) || entry === suggestions || !event.changes.keys.has("status")) continue;
      const status = entry.get("status");
      const previous = event.changes.keys.get("status")?.oldValue;
      const finalText = entry.get("finalText");
      const kind = feedbackKind(status, previous, typeof finalText === "string");
      const runId = entry.get("runId");
      const suggestionId = entry.get("id");
      // A rejection is recorded on the suggestion even when it counts as no feedback.
      if ((!kind && status !== "rejected") || typeof runId !== "string" || typeof suggestionId !== "string") continue;
      const record = async () => {
        // The ids come from a shared document, which anyone who may edit it can write: they
        // count only when the stored suggestion is this canvas's and belongs to that run
        // (a copied or forged entry must not decide another canvas's suggestion, add
        // feedback to its run, or end up in the preference export).
        const saved = await store.getSuggestion(suggestionId);
        if (!saved || saved.canvasId !== canvasId || saved.runId !== runId) {
          logger.debug({ canvasId, suggestionId }, "a suggestion decision names no suggestion of this canvas; not recorded");
          return;
        }
        if (kind) await store.addFeedback({ canvasId, runId, suggestionId, userId: userOf(transaction.origin), kind, finalText: typeof finalText === "string" ? finalText : null });
        await store.setSuggestionStatus(suggestionId, String(status));
      };
      record().catch((error) => logger.debug({ err: error, canvasId, suggestionId }, "suggestion decision not recorded"));
    }
  };
  suggestions.observeDeep(observer);
  return () => {
    clearTimeout(staleCheck);
    doc.off("update", scheduleStaleCheck);
    suggestions.unobserveDeep(observer);
  };
}
