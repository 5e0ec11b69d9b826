import { ApiError, type User } from "@cocanvas/protocol";
import { hashSecret, newId, newSecret } from "../ids.ts";
import type { Storage, UserRow } from "../storage/storage.ts";
import { checkNewPassword } from "./password-policy.ts";
import { hashPassword, unusablePasswordHash, verifyPassword } from "./passwords.ts";


export const apiTokenPrefix = "cc_";

/**
 * The answer to a sign-up whose email has an account. It cannot be the success answer
 * (that signs the new account in), so it is the same for every reason an email cannot
 * be used, says nothing about the account, and counts as a failed sign-in for the address.
 */
export const takenEmail = () => new ApiError("conflict", "This email cannot be used to sign up. If it is yours, sign in instead.");

export function publicUser(user: UserRow): User {
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, createdAt: user.createdAt };
}

/**
 * Accounts, sessions and API tokens: used by the HTTP API and the CLI alike.
 */
export class Accounts {
  constructor(
    private readonly storage: Storage,
    private readonly options: { allowSignupDefault: boolean; sessionDays: number },
  ) {}

  async signupAllowed(): Promise<boolean> {
    if ((await this.storage.countUsers()) === 0) return true;
    const setting = await this.storage.getSetting("allowSignup");
    return setting === null ? this.options.allowSignupDefault : setting === "true";
  }

  async setSignupAllowed(allowed: boolean): Promise<void> {
    await this.storage.setSetting("allowSignup", String(allowed));
  }

  /**
   * Creates an account. The first account on a new install becomes admin.
   * `bypassSignupSetting` is for the CLI (an operator on the machine). The password must
   * pass the policy (password-policy.ts) before anything about the email is looked at, so
   * a weak password never tells whether the email has an account.
   */
  async createUser(input: { email: string; password: string; name?: string; admin?: boolean }, bypassSignupSetting = false): Promise<UserRow> {
    const first = (await this.storage.countUsers()) === 0;
    if (!bypassSignupSetting && !(await this.signupAllowed())) {
      throw new ApiError("signup_disabled", "Sign-ups are turned off on this server; ask an admin for an account.");
    }
    checkNewPassword(input.password, input.email);
    // The operator at the CLI may know the email is taken; a visitor is told nothing more.
    const taken = () => (bypassSignupSetting ? new ApiError("conflict", "An account with this email already exists.") : takenEmail());
    if (await this.storage.getUserByEmail(input.email)) throw taken();
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.storage.createUser({
        id: newId(),
        email: input.email,
        name: input.name?.trim() || input.email.split("@")[0]!,
        passwordHash,
        isAdmin: first || input.admin === true,
      });
    } catch (error) {
      if (String(error).includes("UNIQUE")) throw taken();
      throw error;
    }
  }

  /** Checks a password; the same work is done whether or not the account exists. */
  async authenticate(email: string, password: string): Promise<UserRow> {
    const user = await this.storage.getUserByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? unusablePasswordHash);
    if (!user || !valid) throw new ApiError("unauthenticated", "Wrong email or password.");
    // Said only to someone who knows the password, so it reveals nothing to others.
    if (user.disabledAt) throw new ApiError("account_disabled", "This account is disabled. Ask your admin to enable it.");
    return user;
  }

  async createSession(userId: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
    const token = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(Date.now() + this.options.sessionDays * 86_400_000);
    await this.storage.createSession(hashSecret(token), userId, csrfToken, expiresAt.toISOString());
    return { token, csrfToken, expiresAt };
  }

  async resolveSession(token: string): Promise<{ user: UserRow; csrfToken: string } | null> {
    const session = await this.storage.getSession(hashSecret(token));
    if (!session) return null;
    const user = await this.storage.getUserById(session.userId);
    return user && !user.disabledAt ? { user, csrfToken: session.csrfToken } : null;
  }

  async endSession(token: string): Promise<void> {
    await this.storage.deleteSession(hashSecret(token));
  }

  async createApiToken(userId: string, name: string): Promise<{ id: string; name: string; token: string; createdAt: string }> {
    const token = newSecret(apiTokenPrefix);
    const row = await this.storage.createToken({ id: newId(), userId, name, tokenHash: hashSecret(token) });
    return { id: row.id, name: row.name, token, createdAt: row.createdAt };
  }

  async resolveApiToken(token: string): Promise<UserRow | null> {
    const userId = await this.storage.getTokenUser(hashSecret(token));
    const user = userId ? await this.storage.getUserById(userId) : null;
    return user && !user.disabledAt ? user : null;
  }

  /** Changes your name or email; another account's email is a conflict. */
  async updateProfile(userId: string, fields: { name?: string; email?: string }): Promise<UserRow> {
    if (fields.email !== undefined) {
      const holder = await this.storage.getUserByEmail(fields.email);
      if (holder && holder.id !== userId) throw new ApiError("conflict", "That email cannot be used; choose another.");
    }
    await this.storage.accounts.updateProfile(userId, fields);
    return (await this.storage.getUserById(userId))!;
  }

  /** Changes your own password (the current one is needed) and ends your other sessions. */
  async changePassword(userId: string, currentPassword: string, newPassword: string, keepSessionToken: string | null): Promise<void> {
    const user = await this.storage.getUserById(userId);
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new ApiError("invalid_request", "currentPassword: that is not your current password.");
    }
    await this.setPassword(userId, newPassword, keepSessionToken);
  }

  /** Sets a password (admin reset, reset link, CLI) and ends every session but `keepSessionToken`'s. */
  async setPassword(userId: string, password: string, keepSessionToken: string | null = null): Promise<void> {
    await this.storage.accounts.setPasswordHash(userId, await hashPassword(password));
    await this.storage.accounts.endSessions(userId, keepSessionToken ? hashSecret(keepSessionToken) : undefined);
  }

  /** Disables (sign-in refused, sessions ended, API tokens stop working) or enables an account. */
  async setDisabled(userId: string, disabled: boolean): Promise<void> {
    const user = await this.storage.getUserById(userId);
    if (!user) throw new ApiError("not_found", "No such account.");
    if (disabled && user.isAdmin && !user.disabledAt && (await this.storage.accounts.countActiveAdmins()) <= 1) {
      throw new ApiError("conflict", "This is the last admin who can sign in; make someone else admin first.");
    }
    await this.storage.accounts.setDisabled(userId, disabled ? (user.disabledAt ?? new Date().toISOString()) : null);
    if (disabled) await this.storage.accounts.endSessions(userId);
  }

  /**
   * Deletes an account. Workspaces only they belong to go with them; a workspace where
   * they are the only owner but others are members must get another owner first.
   * Returns the ids of the workspaces deleted.
   */
  async deleteUser(userId: string): Promise<string[]> {
    const user = await this.storage.getUserById(userId);
    if (!user) throw new ApiError("not_found", "No such account.");
    if (user.isAdmin && !user.disabledAt && (await this.storage.accounts.countActiveAdmins()) <= 1) {
      throw new ApiError("conflict", "This is the last admin who can sign in; make someone else admin first.");
    }
    const alone: string[] = [];
    for (const workspace of await this.storage.listWorkspacesOf(userId)) {
      const members = await this.storage.listMembers(workspace.id);
      if (members.length === 1) alone.push(workspace.id);
      else if (workspace.role === "owner" && members.filter((member) => member.role === "owner").length === 1) {
        throw new ApiError("conflict", `${user.email} is the only owner of the workspace "${workspace.name}"; make someone else its owner first.`);
      }
    }
    for (const workspaceId of alone) await this.storage.deleteWorkspace(workspaceId);
    await this.storage.accounts.deleteUser(userId);
    return alone;
  }

  /** Resolves either credential: an API token, or a session token. */
  async resolveCredential(token: string): Promise<UserRow | null> {
    return this.userOfCredential(credentialOf(token));
  }

  /**
   * The user a stored credential still belongs to, or null once it is gone (token deleted,
   * logged out, session expired). Live connections keep their credential and ask again
   * when credentials change.
   */
  async userOfCredential(credential: Credential): Promise<UserRow | null> {
    const userId = credential.kind === "apiToken" ? await this.storage.getTokenUser(credential.hash) : (await this.storage.getSession(credential.hash))?.userId;
    return userId ? this.storage.getUserById(userId) : null;
  }
}

/** Which stored secret authenticated someone: an API token or a session, by its hash. */
export interface Credential {
  kind: "apiToken" | "session";
  hash: string;
}

/** The credential a token (API token or session token) would be, if it exists. */
export function credentialOf(token: string): Credential {
  return { kind: token.startsWith(apiTokenPrefix) ? "apiToken" : "session", hash: hashSecret(token) };
}
