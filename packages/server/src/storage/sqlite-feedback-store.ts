import type Database from "better-sqlite3";
import type { CountedFeedbackRow, FeedbackFilter, FeedbackStore } from "./feedback-store.ts";

/**
 * The feedback that counts: a suggestion's latest decision unless it is an undo (which
 * cancels the decision before it), and each person's latest thumb on a run. Decisions
 * are found per run through the ai_feedback_run index.
 */
const counted =
  "((f.kind IN ('accepted','edited','rejected') AND s.id IS NOT NULL AND f.id = " +
  "(SELECT max(g.id) FROM ai_feedback g WHERE g.run_id = f.run_id AND g.suggestion_id = f.suggestion_id AND g.kind IN ('accepted','edited','rejected','undone'))) " +
  "OR (f.kind IN ('thumbs_up','thumbs_down') AND f.id = " +
  "(SELECT max(g.id) FROM ai_feedback g WHERE g.run_id = f.run_id AND g.user_id IS f.user_id AND g.kind IN ('thumbs_up','thumbs_down'))))";

const from = "FROM ai_feedback f JOIN ai_runs r ON r.id = f.run_id JOIN canvases c ON c.id = f.canvas_id LEFT JOIN ai_suggestions s ON s.id = f.suggestion_id";

function where(filter: FeedbackFilter): { sql: string; params: unknown[] } {
  const clauses = [counted];
  const params: unknown[] = [];
  if (filter.workspaceId) {
    clauses.push("c.workspace_id = ?");
    params.push(filter.workspaceId);
  }
  if (filter.from) {
    clauses.push("f.created_at >= ?");
    params.push(filter.from);
  }
  if (filter.to) {
    clauses.push("f.created_at < ?");
    params.push(filter.to);
  }
  if (filter.model) {
    clauses.push("(r.model = ? OR r.provider || ':' || r.model = ?)");
    params.push(filter.model, filter.model);
  }
  if (filter.agent) {
    clauses.push("(r.agent = ? COLLATE NOCASE OR r.agent_id = ?)");
    params.push(filter.agent, filter.agent);
  }
  return { sql: clauses.join(" AND "), params };
}

const rowFrom = (row: any): CountedFeedbackRow => ({
  feedbackId: row.feedback_id,
  kind: row.kind,
  userId: row.user_id,
  finalText: row.final_text,
  decidedAt: row.decided_at,
  canvasId: row.canvas_id,
  workspaceId: row.workspace_id,
  run: {
    id: row.run_id,
    userId: row.run_user_id,
    agent: row.agent,
    agentId: row.agent_id,
    provider: row.provider,
    model: row.model,
    instruction: row.instruction,
    quickAction: row.quick_action,
    prompt: row.prompt,
    toolCalls: row.tool_calls,
    createdAt: row.run_created_at,
  },
  suggestion: row.suggestion_id
    ? { id: row.suggestion_id, target: row.target, oldText: row.old_text, newText: row.new_text, createdAt: row.suggestion_created_at }
    : null,
});

export class SqliteFeedbackStore implements FeedbackStore {
  constructor(private readonly db: Database.Database) {}

  async page(filter: FeedbackFilter, afterId: number, limit: number) {
    const { sql, params } = where(filter);
    return this.db
      .prepare(
        "SELECT f.id AS feedback_id, f.kind, f.user_id, f.final_text, f.created_at AS decided_at, f.canvas_id, c.workspace_id, " +
          "r.id AS run_id, r.user_id AS run_user_id, r.agent, r.agent_id, r.provider, r.model, r.instruction, r.quick_action, r.prompt, r.tool_calls, r.created_at AS run_created_at, " +
          "s.id AS suggestion_id, s.target, s.old_text, s.new_text, s.created_at AS suggestion_created_at " +
          `${from} WHERE f.id > ? AND ${sql} ORDER BY f.id LIMIT ?`,
      )
      .all(afterId, ...params, limit)
      .map(rowFrom);
  }

  async count(filter: FeedbackFilter) {
    const { sql, params } = where(filter);
    return this.db.prepare(`SELECT count(*) ${from} WHERE ${sql}`).pluck().get(...params) as number;
  }
}
