import { z } from "zod";
import { Role } from "./roles.ts";

export const canvasKinds = ["doc", "code"] as const;
export const CanvasKind = z.enum(canvasKinds);
export type CanvasKind = z.infer<typeof CanvasKind>;

const email = z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address"));
const password = z.string().min(12, "Passwords have at least 12 characters").max(256);
const name = z.string().trim().min(1).max(200);

export const SignupBody = z.strictObject({ email, password, name: name.optional() });
export const LoginBody = z.strictObject({ email, password: z.string().max(256) });
export const TokenCreateBody = z.strictObject({ name: name.default("API token") });
export const SettingsPatchBody = z.strictObject({ allowSignup: z.boolean() });

/** Your own name and email (profile page). */
export const ProfilePatchBody = z.strictObject({ name: name.optional(), email: email.optional() });
/** Changing your password needs the current one. */
export const PasswordChangeBody = z.strictObject({ currentPassword: z.string().max(256), newPassword: password });
/** An admin sets a new password for someone. */
export const PasswordSetBody = z.strictObject({ password });
export const AdminUserPatchBody = z.strictObject({ disabled: z.boolean() });
export const PasswordForgotBody = z.strictObject({ email });
export const PasswordResetBody = z.strictObject({ token: z.string().min(1).max(200), password });
/** Invite someone to a workspace with a role; `email` names who it is for (and sends it, when email is on). */
export const InvitationCreateBody = z.strictObject({ role: Role, email: email.optional(), expiresInDays: z.number().int().min(1).max(30).default(7) });
/** Accepting an invitation while signed out signs you up with these; signed in, send `{}`. */
export const InvitationAcceptBody = z.strictObject({ email: email.optional(), password: password.optional(), name: name.optional() });

export const WorkspaceCreateBody = z.strictObject({ name });
export const WorkspacePatchBody = z.strictObject({ name });
export const MemberAddBody = z.strictObject({ email, role: Role });
export const MemberPatchBody = z.strictObject({ role: Role });

export const CanvasCreateBody = z.strictObject({ title: name, kind: CanvasKind });
export const CanvasPatchBody = z.strictObject({ title: name });
export const ShareCreateBody = z.strictObject({ role: Role.exclude(["owner"]) });
export const VersionCreateBody = z.strictObject({ name: name });

/** A file of a code canvas. */
export const CodeFile = z.strictObject({
  path: z.string().trim().min(1).max(500),
  language: z.string().trim().max(50).default(""),
  content: z.string().max(5_000_000),
});
export type CodeFile = z.infer<typeof CodeFile>;

export const CanvasImportBody = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("doc"), title: name, markdown: z.string().max(5_000_000) }),
  z.strictObject({ kind: z.literal("code"), title: name, files: z.array(CodeFile).max(500) }),
]);

/** Every route that answers a list answers this envelope (`nextCursor` when the list is paged and more follow). */
export interface ListResponse<Item> {
  items: Item[];
  nextCursor?: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
}
/** An account as an admin sees it. */
export interface AdminUser extends User {
  disabledAt: string | null;
}
export interface Workspace {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}
export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}
export interface Canvas {
  id: string;
  workspaceId: string;
  title: string;
  kind: CanvasKind;
  /** The caller's effective role on this canvas. */
  role: Role;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}
export interface Version {
  id: string;
  canvasId: string;
  /** null for automatic snapshots. */
  name: string | null;
  kind: "auto" | "named" | "restore";
  createdBy: string | null;
  /** The author's display name (null for automatic versions). */
  createdByName: string | null;
  createdAt: string;
}
