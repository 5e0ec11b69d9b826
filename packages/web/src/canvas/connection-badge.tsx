import type { CollabSession } from "../sync/use-collab-provider.ts";

/** Tells whether edits are reaching others right now. */
export function ConnectionBadge({ session }: { session: CollabSession }) {
  const { status, hasUnsyncedChanges } = session;
  const label =
    status === "connected"
      ? hasUnsyncedChanges
        ? "Saving…"
        : "Connected"
      : status === "offline"
        ? "Not syncing — your edits are kept here and merge when the connection is back"
        : "Connecting…";
  return (
    <span className={`connection-badge ${status}`} data-testid="connection-status" data-status={status} role="status">
      <span className="connection-dot" />
      {label}
    </span>
  );
}
