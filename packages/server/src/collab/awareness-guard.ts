import { presenceUser } from "@cocanvas/content";
import { FrameReader, FrameWriter } from "./frames.ts";

/** One client's entry in a y-protocols awareness update. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The client's state, or null when it leaves. */
  state: Record<string, unknown> | null;
}

/** Decodes an awareness update; throws on anything that is not one. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const reader = new FrameReader(update);
  const count = reader.varUint();
  const entries: AwarenessEntry[] = [];
  for (let index = 0; index < count; index++) {
    const clientId = reader.varUint();
    const clock = reader.varUint();
    const state: unknown = JSON.parse(reader.string());
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) throw new TypeError("an awareness state must be an object or null");
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const writer = new FrameWriter().varUint(entries.length);
  for (const entry of entries) writer.varUint(entry.clientId).varUint(entry.clock).string(JSON.stringify(entry.state));
  return writer.toBytes();
}

/** Who publishes a client id in a document's awareness right now. */
export type AwarenessOwner = { kind: "free" } | { kind: "person"; userId: string } | { kind: "server" };

/**
 * What one connection may publish in a document's awareness: only its own client, under
 * the name and colour of its account. Its own client is the first one it publishes that
 * nobody else holds (a person's reconnecting tab may take over its own earlier client);
 * entries about other clients are dropped, since stock providers echo the states they
 * receive. `agent` is removed: agents' presence is published by the server itself.
 */
export function guardAwareness(
  entries: AwarenessEntry[],
  connection: { userId: string; name: string; clientId?: number },
  ownerOf: (clientId: number) => AwarenessOwner,
): { entries: AwarenessEntry[]; clientId?: number } {
  let clientId = connection.clientId;
  const kept: AwarenessEntry[] = [];
  for (const entry of entries) {
    if (clientId === undefined && entry.state !== null) {
      const owner = ownerOf(entry.clientId);
      if (owner.kind === "free" || (owner.kind === "person" && owner.userId === connection.userId)) clientId = entry.clientId;
    }
    if (entry.clientId !== clientId) continue;
    if (entry.state === null) {
      kept.push(entry);
      continue;
    }
    const { agent: _agent, ...state } = entry.state;
    kept.push({ ...entry, state: { ...state, user: presenceUser({ id: connection.userId, name: connection.name }) } });
  }
  return { entries: kept, clientId };
}
