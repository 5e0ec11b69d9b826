/**
 * The one place the web app talks HTTP to the server. It keeps the CSRF token handed out
 * by `/api/auth/me|login|signup` and sends it as `X-CSRF-Token` on every request that
 * changes state.
 */

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** A failed API call, carrying the server's `{error:{code,message}}`. */
export class RequestError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "RequestError";
    this.status = status;
    this.code = code;
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

async function readError(response: Response): Promise<RequestError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) {
      return new RequestError(response.status, body.error.code ?? "unknown", body.error.message);
    }
  } catch {
    // Not JSON: fall through to a generic message.
  }
  const fallback = response.status === 502 || response.status === 503 ? "The server is not reachable." : `Request failed (${response.status}).`;
  return new RequestError(response.status, "http_error", fallback);
}

async function send<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  } catch {
    throw new RequestError(0, "network_error", "Cannot reach the server. Check your connection.");
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("Content-Type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string) => send<T>("GET", path),
  post: <T>(path: string, body?: unknown) => send<T>("POST", path, body ?? {}),
  put: <T>(path: string, body: unknown) => send<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => send<T>("PATCH", path, body),
  delete: (path: string) => send<void>("DELETE", path),
  upload: <T>(path: string, form: FormData) => send<T>("POST", path, form),
  /** Sends a file as the raw request body (large data files stream instead of being read into memory). */
  putFile: <T>(path: string, file: Blob) => send<T>("PUT", path, file),
};

/** A message fit to show a person, for anything a call may throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
