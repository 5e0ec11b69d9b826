import type { ErrorBody } from "@cocanvas/protocol";

/** A request the server refused: its HTTP status and the error code and message it gave. */
export class CocanvasError extends Error {
  override name = "CocanvasError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static async from(response: Response): Promise<CocanvasError> {
    const text = await response.text();
    try {
      const body = JSON.parse(text) as ErrorBody;
      return new CocanvasError(response.status, body.error.code, body.error.message);
    } catch {
      return new CocanvasError(response.status, "http_error", `${response.status} ${response.statusText}`);
    }
  }
}
