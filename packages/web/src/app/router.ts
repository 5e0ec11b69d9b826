import { useSyncExternalStore } from "react";

/** A tiny router over the History API: the path is the whole state. */

const changeEvent = "cocanvas-navigate";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

const currentLocation = () => window.location.pathname + window.location.search;

/** The current path and query, re-rendering when it changes. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(changeEvent));
}

export type Route =
  | { name: "login"; next: string | null }
  | { name: "signup"; next: string | null }
  | { name: "home"; workspaceId: string | null }
  | { name: "canvas"; canvasId: string }
  | { name: "share"; token: string }
  | { name: "settings" }
  | { name: "forgot-password" }
  | { name: "invite"; token: string }
  | { name: "reset-password"; token: string }
  | { name: "not-found" };

/** Turns a location into a route. */
export function matchRoute(location: string): Route {
  const url = new URL(location, "http://local");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const next = url.searchParams.get("next");
  const [first, second] = parts;
  if (parts.length === 0) return { name: "home", workspaceId: null };
  if (parts.length === 1 && first === "login") return { name: "login", next };
  if (parts.length === 1 && first === "signup") return { name: "signup", next };
  if (parts.length === 1 && first === "settings") return { name: "settings" };
  if (parts.length === 1 && first === "forgot-password") return { name: "forgot-password" };
  if (parts.length === 2 && first === "invite" && second) return { name: "invite", token: second };
  if (parts.length === 2 && first === "reset-password" && second) return { name: "reset-password", token: second };
  if (parts.length === 2 && first === "w" && second) return { name: "home", workspaceId: second };
  if (parts.length === 2 && first === "c" && second) return { name: "canvas", canvasId: second };
  if (parts.length === 2 && first === "s" && second) return { name: "share", token: second };
  return { name: "not-found" };
}
