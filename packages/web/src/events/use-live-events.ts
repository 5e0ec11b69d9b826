import type { WorkspaceChange } from "@cocanvas/protocol";
import { useEffect, useRef } from "react";
import { listenToLiveEvents, type LiveMessage } from "./live-events.ts";

/** Calls `handler` for every live message while the component is mounted. */
export function useLiveEvents(handler: (message: LiveMessage) => void): void {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => listenToLiveEvents((message) => handlerRef.current(message)), []);
}

/**
 * Calls `refetch` when one of `what` changed in the workspace (`null`: in any workspace),
 * and after the stream reconnects (changes may have been missed meanwhile).
 */
export function useWorkspaceChanges(workspaceId: string | null | undefined, what: readonly WorkspaceChange[], refetch: () => unknown): void {
  useLiveEvents((message) => {
    if (message.type === "reconnected") return void refetch();
    if (message.type !== "workspace-changed" || !what.includes(message.what)) return;
    if (workspaceId === null || message.workspaceId === workspaceId) void refetch();
  });
}
