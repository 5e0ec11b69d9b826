import { HocuspocusProvider } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import type { PresenceUser } from "./user-presence.ts";

/**
 * connecting: the first connection is being made;
 * connected: edits reach everyone;
 * offline: edits are kept locally and merge when the connection comes back.
 */
export type ConnectionStatus = "connecting" | "connected" | "offline";

export interface CollabSession {
  provider: HocuspocusProvider | null;
  status: ConnectionStatus;
  /** True once the first full sync with the server finished. */
  synced: boolean;
  /** True while local edits have not been acknowledged by the server. */
  hasUnsyncedChanges: boolean;
  /** Set when the server refused the connection (no access, signed out). */
  accessError: string | null;
}

function collabUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
}

/**
 * Opens the live channel of one canvas and publishes `user` in its awareness.
 * The provider is destroyed when the canvas changes or the page unmounts.
 */
export function useCollabProvider(canvasId: string, user: PresenceUser): CollabSession {
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>("connecting");
  const [synced, setSynced] = useState(false);
  const [hasUnsyncedChanges, setHasUnsyncedChanges] = useState(false);
  const [accessError, setAccessError] = useState<string | null>(null);

  useEffect(() => {
    let everConnected = false;
    // The cookie authenticates us; the token only has to be non-empty.
    const created = new HocuspocusProvider({
      url: collabUrl(),
      name: canvasId,
      token: "session",
      onStatus: ({ status: next }) => {
        if (next === "connected") everConnected = true;
        setStatus(next === "connected" ? "connected" : everConnected || next === "disconnected" ? "offline" : "connecting");
      },
      onSynced: ({ state }) => state && setSynced(true),
      onUnsyncedChanges: ({ number }) => setHasUnsyncedChanges(number > 0),
      onAuthenticationFailed: ({ reason }) => setAccessError(reason || "The server refused the live connection."),
      onAuthenticated: () => setAccessError(null),
    });
    setProvider(created);

    // Browsers notice a lost network long before a dead socket times out; hang up at once
    // and dial again when the network is back, so the status is honest.
    const goOffline = () => void created.disconnect();
    const goOnline = () => void created.connect();
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      created.destroy();
      setProvider(null);
      setSynced(false);
      setStatus("connecting");
    };
  }, [canvasId]);

  useEffect(() => {
    provider?.setAwarenessField("user", user);
  }, [provider, user]);

  return { provider, status, synced, hasUnsyncedChanges, accessError };
}
