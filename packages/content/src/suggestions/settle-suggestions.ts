import * as Y from "yjs";
import { applicationsOf, type ApplicationRecord } from "./suggestion-model.ts";

/**
 * Makes concurrent acceptances of one suggestion count once. Yjs has no locks: two people
 * can accept the same suggestion on two replicas before they see each other's change, and
 * both write its text. Every acceptance is recorded; the first record (the same on every
 * replica) wins, and the text the others inserted is deleted again. Deleting is
 * idempotent, so replicas that settle at the same time converge. Must run inside a
 * transaction; returns true when it changed something.
 */
export function settleAcceptances(transaction: Y.Transaction, entry: Y.Map<unknown>): boolean {
  const applications = applicationsOf(entry);
  if (!applications || applications.length === 0) return false;
  const [winner, ...losers] = applications.toArray() as ApplicationRecord[];
  for (const loser of losers) deleteItemsOf(transaction, loser);
  if (losers.length > 0) applications.delete(1, losers.length);
  return copyDecision(entry, winner!) || losers.length > 0;
}

/** True when the suggestion's fields do not say what its winning acceptance says. */
export function needsSettling(entry: Y.Map<unknown>): boolean {
  const applications = applicationsOf(entry);
  if (!applications || applications.length === 0) return false;
  return applications.length > 1 || decisionDiffers(entry, applications.get(0));
}

function decisionDiffers(entry: Y.Map<unknown>, winner: ApplicationRecord): boolean {
  const decidedBy = entry.get("decidedBy") as ApplicationRecord["decidedBy"] | undefined;
  return (
    entry.get("status") !== winner.status ||
    entry.get("decidedAt") !== winner.decidedAt ||
    entry.get("finalText") !== winner.finalText ||
    decidedBy?.id !== winner.decidedBy.id ||
    decidedBy?.name !== winner.decidedBy.name
  );
}

/** A concurrent reject or stale mark may have overwritten the winner's fields; write them back. */
function copyDecision(entry: Y.Map<unknown>, winner: ApplicationRecord): boolean {
  if (!decisionDiffers(entry, winner)) return false;
  entry.set("status", winner.status);
  entry.set("decidedBy", winner.decidedBy);
  entry.set("decidedAt", winner.decidedAt);
  if (winner.finalText === undefined) entry.delete("finalText");
  else entry.set("finalText", winner.finalText);
  return true;
}

/**
 * Deletes what one acceptance inserted: the items of its client in `[clockStart,
 * clockEnd)`. Characters go first; a paragraph or text run it created goes only once it
 * is empty, so what someone typed into it in the meantime stays.
 */
function deleteItemsOf(transaction: Y.Transaction, record: ApplicationRecord): void {
  const containers: Y.Item[] = [];
  for (const item of itemsOf(transaction, record)) {
    if (item.content instanceof Y.ContentType) containers.push(item);
    else item.delete(transaction);
  }
  // Inner containers have later clocks than their parents: empty them first.
  for (const item of containers.reverse()) {
    if (!item.deleted && (item.content as Y.ContentType).type._length === 0) item.delete(transaction);
  }
}

function itemsOf(transaction: Y.Transaction, record: ApplicationRecord): Y.Item[] {
  const known = Y.getState(transaction.doc.store, record.client);
  const end = Math.min(record.clockEnd, known);
  const items: Y.Item[] = [];
  if (record.clockStart >= end) return items;
  // Split the struct that straddles the end so nothing after it is touched.
  if (end < known) Y.getItemCleanStart(transaction, Y.createID(record.client, end));
  let clock = record.clockStart;
  while (clock < end) {
    const struct = Y.getItemCleanStart(transaction, Y.createID(record.client, clock)) as Y.Item | Y.GC;
    if (struct instanceof Y.Item && !struct.deleted) items.push(struct);
    clock = struct.id.clock + struct.length;
  }
  return items;
}
