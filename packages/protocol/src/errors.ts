/**
 * Error codes the HTTP API answers with, in a JSON body `{ error: { code, message } }`.
 * Every code is documented here and in the OpenAPI document.
 */
export const ErrorCode = {
  /** The body is not valid JSON, or a field is missing or has the wrong type. */
  invalidRequest: "invalid_request",
  /** The body or upload is larger than the server accepts. */
  payloadTooLarge: "payload_too_large",
  /** No valid session or API token was presented. */
  unauthenticated: "unauthenticated",
  /** Authenticated, but the role held is not enough for this action. */
  forbidden: "forbidden",
  /** A session-authenticated request that changes state lacked a valid CSRF token. */
  csrfFailed: "csrf_failed",
  /** The id names nothing this caller can see. */
  notFound: "not_found",
  /** The request conflicts with the current state (e.g. email already registered). */
  conflict: "conflict",
  /** Sign-ups are turned off on this server. */
  signupDisabled: "signup_disabled",
  /** The account was disabled by an admin: it cannot sign in. */
  accountDisabled: "account_disabled",
  /** Too many requests in a short time. */
  rateLimited: "rate_limited",
  /** The file type is not accepted. */
  unsupportedMediaType: "unsupported_media_type",
  /** No usable model: none is configured, or a provider's key or address is missing. The message names what. */
  modelUnavailable: "model_unavailable",
  /** A query or run went past a limit (time, memory) and was stopped; nothing was changed. */
  limitExceeded: "limit_exceeded",
  /** A part of the server this needs is not installed (the message says what to install). */
  unavailable: "unavailable",
  /** Something failed on the server; nothing was changed. */
  internal: "internal_error",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorStatus: Record<ErrorCode, number> = {
  invalid_request: 400,
  payload_too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  signup_disabled: 403,
  account_disabled: 403,
  rate_limited: 429,
  unsupported_media_type: 415,
  model_unavailable: 503,
  limit_exceeded: 422,
  unavailable: 503,
  internal_error: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: unknown };
}

/** An expected failure that carries its HTTP status and error code. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues?: unknown;
  constructor(code: ErrorCode, message: string, issues?: unknown) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = errorStatus[code];
    this.issues = issues;
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/**
 * WebSocket close codes of the live channel (`/collab`). Codes 4000-4999 are ours;
 * 1009 comes from the WebSocket layer when a frame exceeds the size limit.
 */
export const CloseCode = {
  /** The frame was larger than `COCANVAS_MAX_WS_MESSAGE_BYTES`. */
  messageTooBig: { code: 1009, reason: "Message Too Big" },
  /** The frame could not be decoded as a Hocuspocus message. */
  malformedMessage: { code: 4400, reason: "Malformed Message" },
  /** A well-formed message whose content failed to apply (Hocuspocus's own code). */
  resetConnection: { code: 4205, reason: "Reset Connection" },
  /**
   * No valid session or token (Hocuspocus's own code); also sent when the credential a
   * connection authenticated with is revoked (token deleted, logout, account closed).
   */
  unauthorized: { code: 4401, reason: "Unauthorized" },
  /** The user holds no role on this canvas, or it does not exist (Hocuspocus's own code). */
  forbidden: { code: 4403, reason: "Forbidden" },
  /** The client sent more messages per second than allowed. */
  rateLimited: { code: 4429, reason: "Too Many Messages" },
  /** No document was authenticated within a few seconds of opening the socket. */
  authenticationTimeout: { code: 4408, reason: "Authentication Timeout" },
  /**
   * The client's rights on a document it has open changed (role changed or removed, share
   * grant changed, canvas deleted): reconnect, and authenticating again tells what is left.
   */
  accessChanged: { code: 4409, reason: "Access Changed" },
  /**
   * The client sent more than the server holds for documents it has not opened yet (before
   * they are authenticated, or while they load).
   */
  backlogTooLarge: { code: 4413, reason: "Too Much Before Authentication" },
} as const;
