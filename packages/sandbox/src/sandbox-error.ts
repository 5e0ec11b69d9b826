/**
 * Why a sandboxed run was refused or stopped. Expected failures of people's code are
 * values of a run's result (`exitCode`, `stderr`); these are for what the sandbox
 * itself decides.
 */
export type SandboxErrorCode =
  /** The code or query is malformed (DuckDB's parse errors name line and column). */
  | "bad_input"
  /** Not allowed here: a statement that is not a SELECT, a file outside the data folder. */
  | "refused"
  /** Ran past its deadline and was stopped. */
  | "timeout"
  /** Needed more memory than it may use. */
  | "memory"
  | "not_found"
  /** The engine is not installed on this machine; the message says what to install. */
  | "unavailable";

export class SandboxError extends Error {
  override name = "SandboxError";
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}
