import type { CommentThreadSnapshot, SuggestionSnapshot } from "@cocanvas/content";
import { applyRunEvent, type AiRunStatus, type AiSelection, type Canvas, type CanvasKind, type ListResponse, type RunEvent, type RunState, type User, type Workspace } from "@cocanvas/protocol";
import { CocanvasError } from "./errors.ts";
import { readServerSentEvents } from "./server-sent-events.ts";

export interface CocanvasClientOptions {
  /** The server's address, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** An API token (Settings → API tokens, or `cocanvas token create`). */
  token: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** What to ask an agent (`POST /api/canvases/{id}/ai/runs`). */
export interface AskOptions {
  instruction?: string;
  quickAction?: { id: string; param?: string };
  /** An agent's name (`Critic`) or id; the Assistant when omitted. */
  agent?: string;
  /** The range to work on: `{quote, occurrence?}`, `{start, end}` or Yjs relative positions `{from, to}`; `path` for a code file. */
  selection?: AiSelection;
  /** The code file to work on without a selection. */
  path?: string;
  /** `provider:model`, instead of the workspace's default. */
  model?: string;
}

/** A run's provenance (`GET /api/ai/runs/{id}`). */
export interface RunDetails {
  id: string;
  canvasId: string;
  agent: string;
  agentId: string | null;
  parentRunId: string | null;
  chainId: string | null;
  depth: number;
  provider: string;
  /** The model asked for. */
  model: string;
  /** The model that answered, as the provider reported it. */
  responseModel: string | null;
  instruction: string;
  status: AiRunStatus;
  error: string | null;
  toolCalls: { name: string; input: unknown; result: string }[];
  tokensIn: number | null;
  tokensOut: number | null;
  running: boolean;
  createdAt: string;
  finishedAt: string | null;
}

/** One line of a canvas's activity log. */
export interface ActivityEntry {
  id: number;
  runId: string | null;
  chainId: string | null;
  parentRunId: string | null;
  depth: number | null;
  actor: string;
  action: string;
  detail: string;
  createdAt: string;
}

/**
 * The Cocanvas HTTP API for scripts and outside agents: no Y.Doc needed — ranges are
 * quoted passages or character offsets, and a run is followed as server-sent events.
 * Uses only fetch, so it runs in browsers and Node 20.
 *
 * @example
 * const client = new CocanvasClient({ baseUrl: "http://localhost:3000", token });
 * const { runId } = await client.ask(canvasId, { agent: "Critic", instruction: "Review this" });
 * for await (const event of client.followRun(runId)) console.log(event.type);
 */
export class CocanvasClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: CocanvasClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The account the token belongs to. */
  async me(): Promise<User> {
    return (await this.request<{ user: User }>("GET", "/api/auth/me")).user;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.request<ListResponse<Workspace>>("GET", "/api/workspaces")).items;
  }

  async createWorkspace(name: string): Promise<Workspace> {
    return this.request("POST", "/api/workspaces", { name });
  }

  async listCanvases(workspaceId: string): Promise<Canvas[]> {
    return (await this.request<ListResponse<Canvas>>("GET", `/api/workspaces/${enc(workspaceId)}/canvases`)).items;
  }

  async createCanvas(workspaceId: string, canvas: { title: string; kind: CanvasKind }): Promise<Canvas> {
    return this.request("POST", `/api/workspaces/${enc(workspaceId)}/canvases`, canvas);
  }

  /** A new canvas with content: Markdown for a doc, files for code. */
  async importCanvas(
    workspaceId: string,
    canvas: { kind: "doc"; title: string; markdown: string } | { kind: "code"; title: string; files: { path: string; language?: string; content: string }[] },
  ): Promise<Canvas> {
    return this.request("POST", `/api/workspaces/${enc(workspaceId)}/import`, canvas);
  }

  async getCanvas(canvasId: string): Promise<Canvas> {
    return this.request("GET", `/api/canvases/${enc(canvasId)}`);
  }

  /** The canvas's plain text (a doc), or one code file's — the text `{start, end}` offsets count in. */
  async canvasText(canvasId: string, path?: string): Promise<string> {
    const query = path ? `format=text&file=${enc(path)}` : "format=text";
    const response = await this.send("GET", `/api/canvases/${enc(canvasId)}/export?${query}`);
    return response.text();
  }

  /** A doc canvas as Markdown. */
  async canvasMarkdown(canvasId: string): Promise<string> {
    return (await this.send("GET", `/api/canvases/${enc(canvasId)}/export?format=md`)).text();
  }

  /** Asks an agent to work on a canvas; answers at once with the run's id (follow it with `followRun`). */
  async ask(canvasId: string, ask: AskOptions): Promise<{ runId: string; messageId: string }> {
    return this.request("POST", `/api/canvases/${enc(canvasId)}/ai/runs`, ask);
  }

  async getRun(runId: string): Promise<RunDetails> {
    return this.request("GET", `/api/ai/runs/${enc(runId)}`);
  }

  async stopRun(runId: string): Promise<boolean> {
    return (await this.request<{ stopped: boolean }>("POST", `/api/ai/runs/${enc(runId)}/stop`)).stopped;
  }

  /**
   * A run's progress as it happens: `run-state` first (everything so far), then
   * `text-delta`, `tool-call-end`, `suggestion-start`, `suggestion-end`, and `run-status`
   * last. Ends when the run ends; stop early with `break`.
   */
  async *followRun(runId: string): AsyncGenerator<RunEvent> {
    const controller = new AbortController();
    const response = await this.send("GET", `/api/ai/runs/${enc(runId)}/events`, undefined, { accept: "text/event-stream" }, controller.signal);
    try {
      for await (const event of readServerSentEvents(response.body!)) yield JSON.parse(event.data) as RunEvent;
    } finally {
      controller.abort();
    }
  }

  /** Waits for a run to end and answers its final state. */
  async waitForRun(runId: string): Promise<RunState> {
    let state: RunState | null = null;
    for await (const event of this.followRun(runId)) {
      if (event.type === "run-state") {
        const { type: _, ...rest } = event;
        state = rest;
      } else if (state) applyRunEvent(state, event);
    }
    if (!state) throw new CocanvasError(0, "stream_ended", "The run's event stream ended before its state arrived.");
    return state;
  }

  async listSuggestions(canvasId: string): Promise<SuggestionSnapshot[]> {
    return (await this.request<ListResponse<SuggestionSnapshot>>("GET", `/api/canvases/${enc(canvasId)}/suggestions`)).items;
  }

  /** Accepts a suggestion, optionally with your own version of its text. */
  async acceptSuggestion(canvasId: string, suggestionId: string, editedText?: string): Promise<void> {
    await this.request("POST", `/api/canvases/${enc(canvasId)}/suggestions/${enc(suggestionId)}/accept`, editedText === undefined ? {} : { editedText });
  }

  async rejectSuggestion(canvasId: string, suggestionId: string): Promise<void> {
    await this.request("POST", `/api/canvases/${enc(canvasId)}/suggestions/${enc(suggestionId)}/reject`, {});
  }

  async listComments(canvasId: string, status?: "open" | "resolved"): Promise<CommentThreadSnapshot[]> {
    return (await this.request<ListResponse<CommentThreadSnapshot>>("GET", `/api/canvases/${enc(canvasId)}/comments${status ? `?status=${status}` : ""}`)).items;
  }

  /** Starts a comment thread on a range (`{quote}`, `{start, end}`, …; `path` on a code canvas). */
  async comment(canvasId: string, selection: AiSelection, text: string): Promise<CommentThreadSnapshot> {
    return this.request("POST", `/api/canvases/${enc(canvasId)}/comments`, { selection, text });
  }

  async reply(canvasId: string, threadId: string, text: string): Promise<CommentThreadSnapshot> {
    return this.request("POST", `/api/canvases/${enc(canvasId)}/comments/${enc(threadId)}/replies`, { text });
  }

  /** What agents did on a canvas, newest first, each entry with its run's place in its chain of hand-offs. */
  async activity(canvasId: string): Promise<ListResponse<ActivityEntry> & { running: { runId: string; agent: string }[] }> {
    return this.request("GET", `/api/canvases/${enc(canvasId)}/activity`);
  }

  private async request<Answer>(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await this.send(method, path, body);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as Answer;
  }

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.options.token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal,
    });
    if (!response.ok) throw await CocanvasError.from(response);
    return response;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

