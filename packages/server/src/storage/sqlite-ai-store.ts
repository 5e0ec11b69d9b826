import type Database from "better-sqlite3";
import type { AiFeedbackRow, AiRunRow, AiStore, AiSuggestionRow, QuickActionRow } from "./ai-store.ts";

const now = () => new Date().toISOString();

const runFrom = (row: any): AiRunRow => ({
  id: row.id,
  canvasId: row.canvas_id,
  userId: row.user_id,
  agent: row.agent,
  agentId: row.agent_id,
  parentRunId: row.parent_run_id,
  chainId: row.chain_id ?? null,
  depth: row.depth,
  threadId: row.thread_id,
  taskId: row.task_id ?? null,
  taskRunId: row.task_run_id ?? null,
  provider: row.provider,
  model: row.model,
  responseModel: row.response_model ?? null,
  instruction: row.instruction,
  quickAction: row.quick_action,
  prompt: row.prompt,
  toolCalls: JSON.parse(row.tool_calls),
  status: row.status,
  error: row.error,
  tokensIn: row.tokens_in,
  tokensOut: row.tokens_out,
  firstTokenMs: row.first_token_ms,
  latencyMs: row.latency_ms,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});
const suggestionFrom = (row: any): AiSuggestionRow => ({
  id: row.id,
  runId: row.run_id,
  canvasId: row.canvas_id,
  target: row.target,
  oldText: row.old_text,
  newText: row.new_text,
  status: row.status,
  createdAt: row.created_at,
});
const feedbackFrom = (row: any): AiFeedbackRow => ({
  id: row.id,
  canvasId: row.canvas_id,
  runId: row.run_id,
  suggestionId: row.suggestion_id,
  userId: row.user_id,
  kind: row.kind,
  finalText: row.final_text,
  createdAt: row.created_at,
});
const quickActionFrom = (row: any): QuickActionRow => ({
  id: row.id,
  userId: row.user_id,
  workspaceId: row.workspace_id,
  name: row.name,
  prompt: row.prompt,
  canvasKind: row.canvas_kind,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export class SqliteAiStore implements AiStore {
  constructor(private readonly db: Database.Database) {}

  async createRun(run: Parameters<AiStore["createRun"]>[0]) {
    this.db
      .prepare(
        "INSERT INTO ai_runs (id, canvas_id, user_id, agent, agent_id, parent_run_id, chain_id, depth, thread_id, task_id, task_run_id, provider, model, instruction, quick_action, prompt, status, created_at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)",
      )
      .run(
        run.id,
        run.canvasId,
        run.userId,
        run.agent,
        run.agentId ?? null,
        run.parentRunId ?? null,
        run.chainId ?? run.id,
        run.depth ?? 0,
        run.threadId ?? null,
        run.taskId ?? null,
        run.taskRunId ?? null,
        run.provider,
        run.model,
        run.instruction,
        run.quickAction,
        run.prompt,
        run.createdAt,
      );
  }
  async finishRun(id: string, fields: Parameters<AiStore["finishRun"]>[1]) {
    this.db
      .prepare(
        "UPDATE ai_runs SET status = ?, error = ?, tokens_in = ?, tokens_out = ?, first_token_ms = ?, latency_ms = ?, tool_calls = ?, response_model = ?, finished_at = ? WHERE id = ?",
      )
      .run(fields.status, fields.error, fields.tokensIn, fields.tokensOut, fields.firstTokenMs, fields.latencyMs, JSON.stringify(fields.toolCalls), fields.responseModel ?? null, now(), id);
  }
  async getRun(id: string) {
    const row = this.db.prepare("SELECT * FROM ai_runs WHERE id = ?").get(id);
    return row ? runFrom(row) : null;
  }
  async listRuns(canvasId: string, limit: number) {
    return this.db.prepare("SELECT * FROM ai_runs WHERE canvas_id = ? ORDER BY created_at DESC LIMIT ?").all(canvasId, limit).map(runFrom);
  }

  async saveSuggestion(suggestion: Parameters<AiStore["saveSuggestion"]>[0]) {
    this.db
      .prepare(
        "INSERT INTO ai_suggestions (id, run_id, canvas_id, target, old_text, new_text, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT(id) DO UPDATE SET new_text = excluded.new_text, status = excluded.status",
      )
      .run(suggestion.id, suggestion.runId, suggestion.canvasId, suggestion.target, suggestion.oldText, suggestion.newText, suggestion.status, suggestion.createdAt ?? now());
  }
  async setSuggestionStatus(id: string, status: string) {
    this.db.prepare("UPDATE ai_suggestions SET status = ? WHERE id = ?").run(status, id);
  }
  async getSuggestion(id: string) {
    const row = this.db.prepare("SELECT * FROM ai_suggestions WHERE id = ?").get(id);
    return row ? suggestionFrom(row) : null;
  }
  async listSuggestions(runId: string) {
    return this.db.prepare("SELECT * FROM ai_suggestions WHERE run_id = ? ORDER BY created_at, rowid").all(runId).map(suggestionFrom);
  }

  async addFeedback(feedback: Parameters<AiStore["addFeedback"]>[0]) {
    this.db
      .prepare("INSERT INTO ai_feedback (canvas_id, run_id, suggestion_id, user_id, kind, final_text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(feedback.canvasId, feedback.runId, feedback.suggestionId, feedback.userId, feedback.kind, feedback.finalText, now());
  }
  async listFeedback(runId: string) {
    return this.db.prepare("SELECT * FROM ai_feedback WHERE run_id = ? ORDER BY id").all(runId).map(feedbackFrom);
  }

  async createQuickAction(action: Parameters<AiStore["createQuickAction"]>[0]) {
    const createdAt = now();
    this.db
      .prepare("INSERT INTO quick_actions (id, user_id, workspace_id, name, prompt, canvas_kind, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(action.id, action.userId, action.workspaceId, action.name, action.prompt, action.canvasKind, action.createdBy, createdAt);
    return { ...action, createdAt };
  }
  async listQuickActions(userId: string, workspaceId: string) {
    return this.db
      .prepare("SELECT * FROM quick_actions WHERE user_id = ? OR workspace_id = ? ORDER BY name COLLATE NOCASE, created_at")
      .all(userId, workspaceId)
      .map(quickActionFrom);
  }
  async getQuickAction(id: string) {
    const row = this.db.prepare("SELECT * FROM quick_actions WHERE id = ?").get(id);
    return row ? quickActionFrom(row) : null;
  }
  async deleteQuickAction(id: string) {
    this.db.prepare("DELETE FROM quick_actions WHERE id = ?").run(id);
  }
}
