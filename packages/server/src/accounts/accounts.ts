import { ApiError, type User } from "@cocanvas/protocol";
import { hashSecret, newId, newSecret } from "../ids.ts";
import type { Storage, UserRow } from "../storage/storage.ts";
import { hashPassword, unusablePasswordHash, verifyPassword } from "./passwords.ts";


export const apiTokenPrefix = "cc_";

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
   * `bypassSignupSetting` is for the CLI (an operator on the machine).
   */
  async createUser(input: { email: string; password: string; name?: string; admin?: boolean }, bypassSignupSetting = false): Promise<UserRow> {
    const first = (await this.storage.countUsers()) === 0;
    if (!bypassSignupSetting && !(await this.signupAllowed())) {
      throw new ApiError("signup_disabled", "Sign-ups are turned off on this server; ask an admin for an account.");
    }
    if (await this.storage.getUserByEmail(input.email)) {
      throw new ApiError("conflict", "An account with this email already exists.");
    }
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
      if (String(error).includes("UNIQUE")) throw new ApiError("conflict", "An account with this email already exists.");
      throw error;
    }
  }

  /** Checks a password; the same work is done whether or not the account exists. */
  async authenticate(email: string, password: string): Promise<UserRow> {
    const user = await this.storage.getUserByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? unusablePasswordHash);
    if (!user || !valid) throw new ApiError("unauthenticated", "Wrong email or password.");
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
    return user ? { user, csrfToken: session.csrfToken } : null;
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
    return userId ? this.storage.getUserById(userId) : null;
  }

  /** Resolves either credential: an API token, or a session token. */
  async resolveCredential(token: string): Promise<UserRow | null> {
    if (token.startsWith(apiTokenPrefix)) return this.resolveApiToken(token);
    return (await this.resolveSession(token))?.user ?? null;
  }
}
