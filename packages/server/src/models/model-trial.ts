import type { LanguageModelV3 } from "@ai-sdk/provider";
import { streamText } from "ai";

/** What one short completion did: the reply, and how fast it came. */
export interface ModelTrialResult {
  text: string;
  outputTokens: number;
  /** Milliseconds until the first text arrived. */
  firstTokenMs: number;
  totalMs: number;
  /** Output tokens per second after the first one, or null when too few tokens were counted. */
  tokensPerSecond: number | null;
}

/**
 * Runs one short completion (at most `maxOutputTokens`) and measures it: what `cocanvas
 * models test` and the admin's Test button both do. A model that fails throws its error;
 * one that answers no text throws an Error saying so.
 */
export async function runModelTrial(model: LanguageModelV3, options: { prompt: string; maxOutputTokens?: number; onText?: (text: string) => void; signal?: AbortSignal }): Promise<ModelTrialResult> {
  const started = performance.now();
  let firstToken: number | null = null;
  let text = "";
  const result = streamText({ model, prompt: options.prompt, maxOutputTokens: options.maxOutputTokens ?? 64, maxRetries: 0, abortSignal: options.signal, onError: () => undefined });
  for await (const part of result.fullStream) {
    if (part.type === "text-delta") {
      firstToken ??= performance.now();
      text += part.text;
      options.onText?.(part.text);
    } else if (part.type === "error") throw part.error;
  }
  const ended = performance.now();
  if (firstToken === null) throw new Error(`it answered no text (finish reason: ${await result.finishReason})`);
  const outputTokens = (await result.usage).outputTokens ?? 0;
  const decodeSeconds = (ended - firstToken) / 1000;
  return {
    text,
    outputTokens,
    firstTokenMs: Math.round(firstToken - started),
    totalMs: Math.round(ended - started),
    tokensPerSecond: outputTokens > 1 && decodeSeconds > 0 ? Math.round(((outputTokens - 1) / decodeSeconds) * 10) / 10 : null,
  };
}
