import type { Role } from "@cocanvas/protocol";

// Kept here rather than imported from @cocanvas/protocol at runtime: its module pulls in
// zod, which the browser bundle does not need.
const rank: Record<Role, number> = { owner: 3, editor: 2, commenter: 1, viewer: 0 };

export const roleNames: readonly Role[] = ["owner", "editor", "commenter", "viewer"];

/** True when `held` is at least as powerful as `needed`. */
export function hasRole(held: Role | null | undefined, needed: Role): boolean {
  return held != null && rank[held] >= rank[needed];
}

/** Whether a role may change a canvas's content. */
export const canEdit = (role: Role | null | undefined) => hasRole(role, "editor");
