import type { HocuspocusProvider } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import type { PresenceUser } from "./user-presence.ts";

export interface Peer {
  clientId: number;
  user: PresenceUser;
  isSelf: boolean;
  /** Set for an AI agent at work: its run, what it is doing now, and who asked. */
  agent?: { runId: string; status: string; invokedBy: string };
}

function readPeers(provider: HocuspocusProvider): Peer[] {
  const awareness = provider.awareness;
  if (!awareness) return [];
  const peers: Peer[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = state.user as PresenceUser | undefined;
    const agent = state.agent as Peer["agent"] | undefined;
    if (user?.name) peers.push({ clientId, user, isSelf: clientId === awareness.clientID, ...(agent?.runId ? { agent } : {}) });
  });
  // You first, then people, then agents at work.
  return peers.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || Number(Boolean(a.agent)) - Number(Boolean(b.agent)) || a.user.name.localeCompare(b.user.name));
}

/** Everyone connected to the canvas (this client first), from Yjs awareness. */
export function usePresence(provider: HocuspocusProvider | null): Peer[] {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    if (!provider?.awareness) return;
    const awareness = provider.awareness;
    const update = () => setPeers(readPeers(provider));
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [provider]);
  return peers;
}
