import { HocuspocusProvider } from "@hocuspocus/provider";
import { useEffect, useState } from "react";
import type { PresenceUser } from "./user-presence.ts";

/**
 * connecting: the first connection is being made;
 * connected: the server accepted this page (authenticated), edits reach everyone;
 * offline: not syncing (no network, or the server is re-checking this page's access):
 * edits are kept locally and merge when the connection comes back.
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
  /** Counts the server's acceptances of this page; it grows when access was checked again (a role changed). */
  authentications: number;
}

function collabUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
}

/**
 * Opens the live channel of one canvas and publishes `user` in its awareness.
 * The provider is destroyed when the canvas changes or the page unmounts. While edits are
 * not acknowledged, leaving the page asks first (they would be lost).
 */
export function useCollabProvider(canvasId: string, user: PresenceUser): CollabSession {
  const [provider, setProvider] = useState<HocuspocusProvider | null>(null);
  const [socketOpen, setSocketOpen] = useState(false);
  const [authenticated, setAuthenticated] = useState(false);
  const [everConnected, setEverConnected] = useState(false);
  const [authentications, setAuthentications] = useState(0);
  const [synced, setSynced] = useState(false);
  const [hasUnsyncedChanges, setHasUnsyncedChanges] = useState(false);
  const [accessError, setAccessError] = useState<string | null>(null);

  useEffect(() => {
    // The cookie authenticates us; the token only has to be non-empty.
    const created = new HocuspocusProvider({
      url: collabUrl(),
      name: canvasId,
      token: "session",
      onStatus: ({ status: next }) => {
        setSocketOpen(next === "connected");
        if (next !== "connected") setAuthenticated(false);
      },
      // The server closed this document (the whole socket, or only the document): not syncing until accepted again.
      onClose: () => setAuthenticated(false),
      onSynced: ({ state }) => state && setSynced(true),
      onUnsyncedChanges: ({ number }) => setHasUnsyncedChanges(number > 0),
      onAuthenticationFailed: ({ reason }) => {
        setAuthenticated(false);
        setAccessError(reason || "The server refused the live connection.");
        // Access is gone: stop dialling (edits stay in this page, and leaving it asks first).
        void created.disconnect();
      },
      onAuthenticated: () => {
        setAuthenticated(true);
        setEverConnected(true);
        setAuthentications((count) => count + 1);
        setAccessError(null);
      },
    });
    setProvider(created);

    // Browsers notice a lost network long before a dead socket times out; hang up at once
    // and dial again when the network is back, so the status is honest.
    const goOffline = () => void created.disconnect();
    const goOnline = () => void created.connect();
    // Edits the server has not acknowledged exist only in this page.
    const keepUnsentEdits = (event: BeforeUnloadEvent) => {
      if (!created.hasUnsyncedChanges) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("offline", goOffline);
    window.addEventListener("online", goOnline);
    window.addEventListener("beforeunload", keepUnsentEdits);
    return () => {
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      window.removeEventListener("beforeunload", keepUnsentEdits);
      created.destroy();
      setProvider(null);
      setSynced(false);
      setSocketOpen(false);
      setAuthenticated(false);
      setEverConnected(false);
      setAuthentications(0);
    };
  }, [canvasId]);

  useEffect(() => {
    provider?.setAwarenessField("user", user);
  }, [provider, user]);

  const status: ConnectionStatus = socketOpen && authenticated ? "connected" : everConnected || accessError ? "offline" : "connecting";
  return { provider, status, synced, hasUnsyncedChanges, accessError, authentications };
}
