import { ApiError } from "@cocanvas/protocol";
import { FailureLimiter } from "./failure-limiter.ts";

const windowMs = 15 * 60_000;
/** Wrong passwords for one email from one address before that pair is paused. */
const perAccountAndAddress = 10;

export interface SignInLimitOptions {
  /** Failures one client address may have in the window, over any number of emails; 0: no limit. */
  perAddress: number;
  /** Failures the whole server takes in the window before addresses with any failure are paused; 0: no limit. */
  serverWide: number;
  now?: () => number;
}

/**
 * Three limits on guessing passwords, all over a 15-minute sliding window:
 * - one email from one address (a person mistyping, or a guesser aiming at one account);
 * - one address over any emails (password spraying: one common password tried on many
 *   accounts), which also counts sign-ups with a taken email (probing for accounts);
 * - the whole server, against spraying from many addresses: past the ceiling, every
 *   address that has failed in the window is paused, while people who have not mistyped
 *   still sign in.
 * A success clears only its own email-and-address count, so signing in to one's own
 * account between guesses does not reset the address's count.
 */
export class SignInLimits {
  private readonly pairs: FailureLimiter;
  private readonly addresses: FailureLimiter;
  private readonly server: FailureLimiter;

  constructor(private readonly options: SignInLimitOptions) {
    this.pairs = new FailureLimiter(perAccountAndAddress, windowMs, options.now);
    const limit = (value: number) => (value > 0 ? value : Number.POSITIVE_INFINITY);
    this.addresses = new FailureLimiter(limit(options.perAddress), windowMs, options.now);
    this.server = new FailureLimiter(limit(options.serverWide), windowMs, options.now);
  }

  /** Throws `rate_limited` when a sign-in from `address` for `email` must wait. */
  check(address: string, email: string): void {
    const blocked =
      this.pairs.isBlocked(`${address} ${email}`) ||
      this.addresses.isBlocked(address) ||
      (this.server.isBlocked("*") && this.addresses.count(address) > 0);
    if (blocked) throw new ApiError("rate_limited", "Too many failed sign-ins; try again in 15 minutes.");
  }

  /** A wrong password (or a sign-up with a taken email) from `address`. */
  recordFailure(address: string, email: string): void {
    this.pairs.recordFailure(`${address} ${email}`);
    this.addresses.recordFailure(address);
    this.server.recordFailure("*");
  }

  recordSuccess(address: string, email: string): void {
    this.pairs.reset(`${address} ${email}`);
  }
}
