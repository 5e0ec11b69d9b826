import { APICallError } from "@ai-sdk/provider";
import { RetryError } from "ai";

/** Why a run ended early, in words for the people in the chat. Never includes keys or request bodies. */
export function describeModelError(error: unknown, timeoutSeconds: number, timedOut: boolean): string {
  if (timedOut) return `The model did not finish within ${timeoutSeconds} seconds, so the request was stopped. Nothing was changed.`;
  if (RetryError.isInstance(error)) return describeModelError(error.lastError, timeoutSeconds, false);
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const text = `${error.message} ${error.responseBody ?? ""}`.toLowerCase();
    if (status === 429) return "The model provider is rate-limiting requests (HTTP 429). Wait a moment and try again. Nothing was changed.";
    if (/context.{0,20}(length|window)|too many tokens|maximum context|too long/.test(text))
      return "The text is too long for this model's context window. Select a smaller part and try again. Nothing was changed.";
    if (status === 401 || status === 403) return `The model provider refused the request (HTTP ${status}): check the API key. Nothing was changed.`;
    if (status !== undefined) return `The model provider answered with an error (HTTP ${status}): ${firstLine(error.message)}. Nothing was changed.`;
    return `The model provider could not be reached: ${firstLine(error.message)}. Nothing was changed.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The model failed: ${firstLine(message)}. Nothing was changed.`;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
