/** Changes to accounts after sign-up: profile, password, disabling, deletion, sessions, password resets. */
export interface AccountStore {
  updateProfile(userId: string, fields: { name?: string; email?: string }): Promise<void>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Disables (a time) or enables (null) an account. */
  setDisabled(userId: string, disabledAt: string | null): Promise<void>;
  /** Deletes an account and everything that is only theirs (sessions, tokens, memberships, grants). */
  deleteUser(userId: string): Promise<void>;
  /** Ends a person's sessions, except the one whose token has `exceptTokenHash`. */
  endSessions(userId: string, exceptTokenHash?: string): Promise<void>;
  /** How many admins can still sign in. */
  countActiveAdmins(): Promise<number>;

  createPasswordReset(tokenHash: string, userId: string, expiresAt: string): Promise<void>;
  /** Uses a reset token once: the person it is for, or null when it is unknown, used or expired. */
  usePasswordReset(tokenHash: string): Promise<string | null>;
}
