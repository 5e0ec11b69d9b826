import { z } from "zod";

/** Roles in a workspace or on a canvas, from most to least powerful. */
export const roles = ["owner", "editor", "commenter", "viewer"] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

const rank: Record<Role, number> = { owner: 3, editor: 2, commenter: 1, viewer: 0 };

/** True when `held` is at least as powerful as `needed`. */
export function roleAtLeast(held: Role | null | undefined, needed: Role): boolean {
  return held != null && rank[held] >= rank[needed];
}

/** The more powerful of two roles (null means none). */
export function strongerRole(a: Role | null, b: Role | null): Role | null {
  if (a == null) return b;
  if (b == null) return a;
  return rank[a] >= rank[b] ? a : b;
}

/** Whether a role may change a canvas's content (the live document). */
export const canEditContent = (role: Role | null | undefined) => roleAtLeast(role, "editor");
