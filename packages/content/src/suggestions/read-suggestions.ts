import type * as Y from "yjs";
import { settleAcceptances, needsSettling } from "./settle-suggestions.ts";
import {
  agentOf,
  bytesField,
  decidedStatus,
  deciderOf,
  newTextOf,
  stringField,
  suggestionEntry,
  suggestionsMap,
  undecidedStatuses,
  winningApplication,
  type SuggestionSnapshot,
  type SuggestionStatus,
  type SuggestionTarget,
} from "./suggestion-model.ts";
import { TargetViews } from "./target-view.ts";
import type { TargetTextView } from "./text-view.ts";

export interface SuggestionFilter {
  /** Only suggestions on this target (for code: the file at this path now). */
  target?: SuggestionTarget;
  runId?: string;
  statuses?: readonly SuggestionStatus[];
}

/** A suggestion's range resolved in its target's current text. */
export interface LocatedSuggestion {
  view: TargetTextView;
  target: SuggestionTarget;
  from: number;
  to: number;
}

/**
 * Where a suggestion's anchors point now: the range it replaces (`suggested`), or the
 * text its acceptance wrote (`applied`). Null when they point nowhere.
 */
export function locateSuggestion(views: TargetViews, entry: Y.Map<unknown>, anchors: "suggested" | "applied" = "suggested"): LocatedSuggestion | null {
  const place = views.forEntry(entry);
  const winner = anchors === "applied" ? winningApplication(entry) : null;
  const fromAnchor = anchors === "applied" ? winner?.from ?? null : bytesField(entry, "from");
  const toAnchor = anchors === "applied" ? winner?.to ?? null : bytesField(entry, "to");
  if (!place || !fromAnchor || !toAnchor) return null;
  const from = place.view.resolve(fromAnchor);
  const to = place.view.resolve(toAnchor);
  if (from === null || to === null) return null;
  return { ...place, from, to: Math.max(from, to) };
}

/** True when the anchored range still holds exactly the text the suggestion replaces. */
export function holdsOldText(located: LocatedSuggestion | null, entry: Y.Map<unknown>): boolean {
  return located !== null && located.view.text.slice(located.from, located.to) === stringField(entry, "oldText");
}

function liveStatus(views: TargetViews, entry: Y.Map<unknown>): { status: SuggestionStatus; located: LocatedSuggestion | null } {
  const status = decidedStatus(entry);
  if (undecidedStatuses.has(status)) {
    const located = locateSuggestion(views, entry);
    return { status: holdsOldText(located, entry) ? status : "stale", located };
  }
  const applied = status === "accepted" || status === "applied";
  return { status, located: applied ? locateSuggestion(views, entry, "applied") : locateSuggestion(views, entry) };
}

function snapshotOf(views: TargetViews, entry: Y.Map<unknown>, id: string): SuggestionSnapshot {
  const { status, located } = liveStatus(views, entry);
  const winner = winningApplication(entry);
  const decidedBy = deciderOf(winner?.decidedBy ?? entry.get("decidedBy"));
  const decidedAt = winner?.decidedAt ?? entry.get("decidedAt");
  const finalText = winner ? winner.finalText : entry.get("finalText");
  return {
    id,
    runId: stringField(entry, "runId"),
    target: located?.target ?? views.forEntry(entry)?.target ?? (entry.get("target") as SuggestionTarget),
    status,
    from: located?.from ?? null,
    to: located?.to ?? null,
    oldText: stringField(entry, "oldText"),
    newText: newTextOf(entry)?.toString() ?? "",
    agent: agentOf(entry),
    createdAt: stringField(entry, "createdAt"),
    ...(decidedBy ? { decidedBy } : {}),
    ...(typeof decidedAt === "string" ? { decidedAt } : {}),
    ...(typeof finalText === "string" ? { finalText } : {}),
  };
}

function sameTarget(first: SuggestionTarget, second: SuggestionTarget): boolean {
  return first.kind === second.kind && (first.kind === "doc" || first.path === (second as { path: string }).path);
}

/** Every suggestion entry of the document, oldest first. */
export function suggestionEntries(doc: Y.Doc): { id: string; entry: Y.Map<unknown> }[] {
  const entries: { id: string; entry: Y.Map<unknown>; createdAt: string }[] = [];
  suggestionsMap(doc).forEach((_value, id) => {
    const entry = suggestionEntry(doc, id);
    if (entry) entries.push({ id, entry, createdAt: stringField(entry, "createdAt") });
  });
  // Several suggestions can share a millisecond; the Yjs clock of the entry orders the
  // ones one client made, and the client id makes the order the same everywhere.
  return entries.sort(
    (first, second) =>
      compare(first.createdAt, second.createdAt) ||
      compare(first.entry._item?.id.clock ?? 0, second.entry._item?.id.clock ?? 0) ||
      compare(first.entry._item?.id.client ?? 0, second.entry._item?.id.client ?? 0) ||
      compare(first.id, second.id),
  );
}

function compare<T extends string | number>(first: T, second: T): number {
  return first < second ? -1 : first > second ? 1 : 0;
}

/**
 * The suggestions of a canvas as plain objects, oldest first, with their live status: an
 * undecided suggestion whose range no longer holds its `oldText` reads as `stale`.
 *
 * @example
 * ```ts
 * readSuggestions(doc, { statuses: ["pending"] });
 * // [{ id: "k3…", status: "pending", oldText: "quick brown fox", newText: "swift red fox", from: 4, to: 19, … }]
 * ```
 */
export function readSuggestions(doc: Y.Doc, filter: SuggestionFilter = {}): SuggestionSnapshot[] {
  const views = new TargetViews(doc);
  const snapshots: SuggestionSnapshot[] = [];
  for (const { id, entry } of suggestionEntries(doc)) {
    if (filter.runId !== undefined && stringField(entry, "runId") !== filter.runId) continue;
    const snapshot = snapshotOf(views, entry, id);
    if (filter.target && !sameTarget(filter.target, snapshot.target)) continue;
    if (filter.statuses && !filter.statuses.includes(snapshot.status)) continue;
    snapshots.push(snapshot);
  }
  return snapshots;
}

/** One suggestion, as {@link readSuggestions} reads it, or null when there is none with that id. */
export function readSuggestion(doc: Y.Doc, id: string): SuggestionSnapshot | null {
  const entry = suggestionEntry(doc, id);
  return entry ? snapshotOf(new TargetViews(doc), entry, id) : null;
}

/**
 * Writes what readers already see into the map, so the stored status is the truth for
 * everyone (the server calls this after changes to a canvas):
 * - undecided suggestions whose target text changed get status `stale`;
 * - a suggestion accepted on two replicas at once keeps one acceptance's text (see
 *   `settleAcceptances`), and an acceptance wins over a concurrent reject or stale mark.
 *
 * Returns the ids it marked stale. Does nothing (no transaction) when all is settled.
 */
export function markStaleSuggestions(doc: Y.Doc, origin?: unknown): string[] {
  const entries = suggestionEntries(doc);
  const unsettled = entries.filter(({ entry }) => needsSettling(entry));
  const isStale = (views: TargetViews, entry: Y.Map<unknown>) =>
    undecidedStatuses.has(decidedStatus(entry)) && !holdsOldText(locateSuggestion(views, entry), entry);
  const before = new TargetViews(doc);
  if (unsettled.length === 0 && !entries.some(({ entry }) => isStale(before, entry))) return [];
  const marked: string[] = [];
  doc.transact((transaction) => {
    for (const { entry } of unsettled) settleAcceptances(transaction, entry);
    const views = new TargetViews(doc); // settling may have changed the text
    for (const { id, entry } of entries) {
      if (!isStale(views, entry)) continue;
      entry.set("status", "stale");
      marked.push(id);
    }
  }, origin);
  return marked;
}
