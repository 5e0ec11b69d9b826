import { expect, test } from "vitest";
import * as encoding from "lib0/encoding";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate as encodeWithYProtocols } from "y-protocols/awareness";
import * as Y from "yjs";
import { decodeAwarenessUpdate, encodeAwarenessUpdate, guardAwareness, type AwarenessOwner } from "./awareness-guard.ts";
import { frameHeader, messageType } from "./frames.ts";

const awarenessWith = (state: Record<string, unknown>) => {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(state);
  return awareness;
};

test("awareness updates decode as y-protocols encodes them, and encode back into what it applies", () => {
  const awareness = awarenessWith({ user: { name: "Ann" }, cursor: { anchor: 1 } });
  const entries = decodeAwarenessUpdate(encodeWithYProtocols(awareness, [awareness.clientID]));
  expect(entries).toEqual([{ clientId: awareness.clientID, clock: 1, state: { user: { name: "Ann" }, cursor: { anchor: 1 } } }]);
  const receiver = new Awareness(new Y.Doc());
  applyAwarenessUpdate(receiver, encodeAwarenessUpdate(entries), "test");
  expect(receiver.getStates().get(awareness.clientID)).toEqual({ user: { name: "Ann" }, cursor: { anchor: 1 } });
  expect(() => decodeAwarenessUpdate(Uint8Array.of(1, 5))).toThrow();
  expect(() => decodeAwarenessUpdate(encodeAwarenessUpdate([{ clientId: 1, clock: 1, state: [1] as never }]))).toThrow();
});

test("a connection keeps only its own client, stamped with its account; others' clients and agent fields are dropped", () => {
  const owners = new Map<number, AwarenessOwner>([
    [1, { kind: "person", userId: "alice" }],
    [2, { kind: "server" }],
  ]);
  const ownerOf = (clientId: number) => owners.get(clientId) ?? { kind: "free" as const };
  const me = { userId: "mallory", name: "Mallory" };
  const forged = [
    { clientId: 1, clock: 99, state: { user: { name: "Alice (owner)" } } },
    { clientId: 2, clock: 99, state: { user: { name: "Critic" }, agent: { runId: "r" } } },
    { clientId: 7, clock: 3, state: { user: { name: "Alice (owner)" }, agent: { runId: "x" }, cursor: 4 } },
  ];
  const first = guardAwareness(forged, me, ownerOf);
  expect(first.clientId).toBe(7);
  expect(first.entries).toEqual([{ clientId: 7, clock: 3, state: { user: { id: "mallory", name: "Mallory", color: expect.any(String), colorLight: expect.any(String) }, cursor: 4 } }]);
  // Once bound, only that client passes, and leaving (null) is allowed.
  const later = guardAwareness([{ clientId: 8, clock: 1, state: {} }, { clientId: 7, clock: 4, state: null }], { ...me, clientId: 7 }, ownerOf);
  expect(later.entries).toEqual([{ clientId: 7, clock: 4, state: null }]);
  // A person's reconnecting tab takes over its own client.
  expect(guardAwareness([{ clientId: 1, clock: 5, state: {} }], { userId: "alice", name: "Alice" }, ownerOf).clientId).toBe(1);
});

test("frame headers: document name and type, for names of any length", () => {
  for (const name of ["doc", "x".repeat(200)]) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, name);
    encoding.writeVarUint(encoder, 8);
    encoding.writeVarUint(encoder, 1);
    const frame = encoding.toUint8Array(encoder);
    expect(messageType(frame)).toBe(8);
    expect(frameHeader(frame)).toMatchObject({ documentName: name, type: 8 });
  }
  expect(messageType(Uint8Array.of(5, 1))).toBeNull();
  expect(frameHeader(Uint8Array.of(0xff, 0xff))).toBeNull();
});
