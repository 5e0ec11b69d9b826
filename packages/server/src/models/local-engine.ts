import os from "node:os";
import path from "node:path";
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3Warning,
} from "@ai-sdk/provider";
import { createIdGenerator } from "@ai-sdk/provider-utils";
import { ApiError } from "@cocanvas/protocol";
import type {
  ChatHistoryItem,
  ChatWrapper,
  GbnfJsonSchema,
  Llama,
  LlamaChat,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import type { Logger } from "../logger.ts";
import { checkGgufFile, lastLines, loadNodeLlamaCpp, probeGgufFile } from "./gguf-check.ts";
import { toChatHistory } from "./local-prompt.ts";
import { outputMode, StructuredOutputParser, type OutputMode } from "./structured-output.ts";

/**
 * Threads for llama.cpp on this machine. node-llama-cpp's CPU default is max(4, cores);
 * on a 2-core machine that oversubscribes the cores (and starves the server's own event
 * loop) and generation collapses ~100x. One thread on ≤ 2 cores; otherwise half the
 * logical cores (≈ the physical ones), at most 8, leaving room for the server.
 */
export function localThreads(cores: number = os.availableParallelism()): number {
  if (cores <= 2) return 1;
  return Math.max(1, Math.min(8, Math.floor(cores / 2)));
}

export interface LocalEngineOptions {
  /** 0 or undefined: `localThreads()`. */
  threads?: number;
  /** Context window in tokens, capped at the model's training context. Default 4096. */
  contextSize?: number;
  /** The chat format; default: detected from the model file ("auto"). */
  chatWrapper?: ChatWrapper | "auto";
  /** Load each new file once in a child process first (default true), so a file that crashes llama.cpp cannot take the server down. */
  probe?: boolean;
  /** Output limit when a call sets none. Default 1024. */
  maxOutputTokens?: number;
  logger?: Logger;
}

interface LoadedModel {
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chat: LlamaChat;
}

/** One llama.cpp instance per thread count per process (loading the bindings takes ~0.3 s). */
const llamas = new Map<number, Promise<Llama>>();
/** llama.cpp's recent warnings and errors: the cause of a failed load is only in its log. */
const recentLog: string[] = [];

function sharedLlama(threads: number): Promise<Llama> {
  let llama = llamas.get(threads);
  if (!llama) {
    llama = loadNodeLlamaCpp().then(({ getLlama, LlamaLogLevel }) => getLlama({
      gpu: false,
      build: "never",
      maxThreads: threads,
      logLevel: LlamaLogLevel.warn,
      logger: (_level, message) => {
        recentLog.push(message.trim());
        if (recentLog.length > 20) recentLog.shift();
      },
    }));
    llamas.set(threads, llama);
    llama.catch(() => llamas.delete(threads));
  }
  return llama;
}

/**
 * The embedded engine: runs GGUF models in this process with node-llama-cpp (CPU only).
 * Models load on first use and stay loaded, one context per model. Generations run one at
 * a time, in the order they were asked for: llama.cpp would otherwise split the same few
 * cores between them and every one of them would finish later.
 */
export class LocalEngine {
  readonly threads: number;
  readonly contextSize: number;
  readonly defaultMaxOutputTokens: number;
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: LocalEngineOptions = {}) {
    this.threads = options.threads || localThreads();
    this.contextSize = options.contextSize || 4096;
    this.defaultMaxOutputTokens = options.maxOutputTokens || 1024;
  }

  /** An AI SDK model for a GGUF file (nothing is loaded until it is first called). */
  languageModel(file: string, modelId: string = file): LanguageModelV3 {
    return new LocalLanguageModel(this, path.resolve(file), modelId);
  }

  /** Runs `work` after every job scheduled before it has finished. Rejects at once if `signal` aborts while waiting. */
  schedule<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    return (async () => {
      try {
        await untilAborted(previous, signal);
        if (this.closed) throw new ApiError("model_unavailable", "The local engine has been shut down.");
        return await work();
      } finally {
        // Keep the order: the next job starts when this one's predecessor is done too.
        void previous.then(release);
      }
    })();
  }

  /** The model at `file`, loaded (after checking the file) on first use. */
  load(file: string): Promise<LoadedModel> {
    let loading = this.loaded.get(file);
    if (!loading) {
      loading = this.loadNow(file);
      this.loaded.set(file, loading);
      loading.catch(() => this.loaded.delete(file));
    }
    return loading;
  }

  private async loadNow(file: string): Promise<LoadedModel> {
    await checkGgufFile(file);
    if (this.options.probe !== false) await probeGgufFile(file);
    const llama = await sharedLlama(this.threads);
    recentLog.length = 0;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: file });
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // llama.cpp's log lines arrive asynchronously
      throw new ApiError("model_unavailable", `llama.cpp cannot load ${file}: ${lastLines(recentLog.join("\n")) || (error as Error).message}`);
    }
    const context = await model.createContext({ contextSize: Math.min(this.contextSize, model.trainContextSize || this.contextSize), sequences: 1 });
    const sequence = context.getSequence();
    const { LlamaChat } = await loadNodeLlamaCpp();
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: this.options.chatWrapper ?? "auto" });
    this.options.logger?.info({ file, threads: this.threads, contextSize: context.contextSize, chatFormat: chat.chatWrapper.wrapperName }, "local model loaded");
    return { model, context, sequence, chat };
  }

  /** A grammar for a JSON schema (or any JSON), cached by schema. */
  async grammar(schema: GbnfJsonSchema | null): Promise<LlamaGrammar> {
    const key = schema ? JSON.stringify(schema) : "json";
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = sharedLlama(this.threads).then((llama) => (schema ? llama.createGrammarForJsonSchema(schema as never) : llama.getGrammarFor("json")));
      if (this.grammars.size >= 64) this.grammars.delete(this.grammars.keys().next().value!);
      this.grammars.set(key, grammar);
      grammar.catch(() => this.grammars.delete(key));
    }
    return grammar;
  }

  /** Unloads every model; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.schedule(async () => undefined).catch(() => undefined);
    for (const loading of this.loaded.values()) {
      const loaded = await loading.catch(() => null);
      if (!loaded) continue;
      loaded.chat.dispose();
      await loaded.context.dispose();
      await loaded.model.dispose();
    }
    this.loaded.clear();
  }
}

function untilAborted(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

type Emit = (part: LanguageModelV3StreamPart) => void;
const callId = createIdGenerator({ prefix: "call", size: 16 });

/** A GGUF model run by the embedded engine, as an AI SDK LanguageModelV3 (text, JSON schemas, tool calls). */
class LocalLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "local";
  readonly supportedUrls = {};

  constructor(
    private readonly engine: LocalEngine,
    private readonly file: string,
    readonly modelId: string,
  ) {}

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const content: LanguageModelV3Content[] = [];
    let text = "";
    let reasoning = "";
    let warnings: SharedV3Warning[] = [];
    let finish: { finishReason: LanguageModelV3FinishReason; usage: LanguageModelV3Usage } | undefined;
    await this.run(options, (part) => {
      if (part.type === "stream-start") warnings = part.warnings;
      else if (part.type === "text-delta") text += part.delta;
      else if (part.type === "reasoning-delta") reasoning += part.delta;
      else if (part.type === "tool-call") content.push(part);
      else if (part.type === "finish") finish = part;
    });
    if (text) content.unshift({ type: "text", text });
    if (reasoning) content.unshift({ type: "reasoning", text: reasoning });
    return { content, finishReason: finish!.finishReason, usage: finish!.usage, warnings, response: { modelId: this.modelId, timestamp: new Date() } };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const cancelled = new AbortController();
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, cancelled.signal]) : cancelled.signal;
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start: (controller) => {
        this.run({ ...options, abortSignal: signal }, (part) => controller.enqueue(part)).then(
          () => controller.close(),
          (error) => controller.error(error),
        );
      },
      cancel: () => cancelled.abort(),
    });
    return { stream };
  }

  private async run(options: LanguageModelV3CallOptions, emit: Emit): Promise<void> {
    const signal = options.abortSignal;
    const { mode, warnings } = outputMode(options);
    const instructions = mode.kind === "structured" ? mode.plan.instructions : mode.kind === "json" ? mode.instructions : "";
    const converted = toChatHistory(options.prompt, instructions);
    for (const [setting, value] of [
      ["topK", options.topK],
      ["topP", options.topP],
    ] as const) {
      if (value !== undefined && !options.temperature) warnings.push({ type: "other", message: `${setting} has no effect without a temperature (the local engine is greedy by default).` });
    }
    const grammar = mode.kind === "text" ? undefined : await this.engine.grammar(mode.kind === "json" ? mode.schema : mode.plan.schema);
    emit({ type: "stream-start", warnings: [...warnings, ...converted.warnings] });
    await this.engine.schedule(async () => {
      const loaded = await this.engine.load(this.file);
      emit({ type: "response-metadata", modelId: this.modelId, timestamp: new Date() });
      await generate(loaded, converted.history, mode, grammar, { ...options, maxOutputTokens: options.maxOutputTokens ?? this.engine.defaultMaxOutputTokens }, emit);
    }, signal);
  }
}

async function generate(
  loaded: LoadedModel,
  history: ChatHistoryItem[],
  mode: OutputMode,
  grammar: LlamaGrammar | undefined,
  options: LanguageModelV3CallOptions,
  emit: Emit,
): Promise<void> {
  const parser = mode.kind === "structured" ? new StructuredOutputParser(mode.plan.answer) : null;
  const toolCallId = callId();
  let textOpen = false;
  let reasoningOpen = false;
  let toolOpen = false;
  let outputTokens = 0;
  let reasoningTokens = 0;
  const text = (delta: string) => {
    if (!delta) return;
    if (reasoningOpen) {
      emit({ type: "reasoning-end", id: "reasoning-0" });
      reasoningOpen = false;
    }
    if (!textOpen) emit({ type: "text-start", id: "text-0" });
    textOpen = true;
    emit({ type: "text-delta", id: "text-0", delta });
  };

  const meter = loaded.sequence.tokenMeter.getState();
  const penalties = options.presencePenalty || options.frequencyPenalty;
  const response = await loaded.chat.generateResponse(history, {
    signal: options.abortSignal,
    stopOnAbortSignal: false,
    maxTokens: options.maxOutputTokens,
    temperature: options.temperature ?? 0,
    topK: options.topK,
    topP: options.topP,
    seed: options.seed,
    customStopTriggers: options.stopSequences?.length ? options.stopSequences : undefined,
    repeatPenalty: penalties ? { presencePenalty: options.presencePenalty, frequencyPenalty: options.frequencyPenalty } : false,
    grammar,
    onResponseChunk(chunk) {
      outputTokens += chunk.tokens.length;
      if (chunk.type === "segment") {
        reasoningTokens += chunk.tokens.length;
        if (!chunk.text) return;
        if (!reasoningOpen) emit({ type: "reasoning-start", id: "reasoning-0" });
        reasoningOpen = true;
        emit({ type: "reasoning-delta", id: "reasoning-0", delta: chunk.text });
        return;
      }
      if (!parser) return text(chunk.text);
      for (const event of parser.push(chunk.text)) {
        if (event.type === "text") text(event.delta);
        else if (event.type === "tool-start") {
          toolOpen = true;
          emit({ type: "tool-input-start", id: toolCallId, toolName: event.toolName });
        } else if (event.type === "tool-delta") emit({ type: "tool-input-delta", id: toolCallId, delta: event.delta });
        else {
          toolOpen = false;
          emit({ type: "tool-input-end", id: toolCallId });
        }
      }
    },
  });

  if (reasoningOpen) emit({ type: "reasoning-end", id: "reasoning-0" });
  if (textOpen) emit({ type: "text-end", id: "text-0" });
  if (toolOpen) emit({ type: "tool-input-end", id: toolCallId });
  const stop = response.metadata.stopReason;
  let finishReason: LanguageModelV3FinishReason = { unified: stop === "maxTokens" ? "length" : "stop", raw: stop };
  if (parser) {
    const result = parser.result();
    if (result.kind === "tool") {
      emit({ type: "tool-call", toolCallId, toolName: result.toolName, input: result.input });
      finishReason = { unified: "tool-calls", raw: stop };
    } else if (result.kind === "incomplete") finishReason = { unified: stop === "maxTokens" ? "length" : "other", raw: stop };
  }

  const used = loaded.sequence.tokenMeter.diff(meter);
  const promptTokens = Math.max(used.usedInputTokens, loaded.sequence.contextTokens.length - outputTokens);
  emit({
    type: "finish",
    finishReason,
    usage: {
      inputTokens: { total: promptTokens, noCache: used.usedInputTokens, cacheRead: promptTokens - used.usedInputTokens, cacheWrite: undefined },
      outputTokens: { total: outputTokens, text: outputTokens - reasoningTokens, reasoning: reasoningTokens },
    },
  });
}
