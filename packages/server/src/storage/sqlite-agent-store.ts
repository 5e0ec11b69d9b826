import type Database from "better-sqlite3";
import type { ActivityRow, AgentRow, AgentStore } from "./agent-store.ts";

const agentFrom = (row: any): AgentRow => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  color: row.color,
  persona: row.persona,
  instructions: row.instructions,
  model: row.model,
  tools: JSON.parse(row.tools),
  maxTurns: row.max_turns,
  maxTokens: row.max_tokens,
  maxSeconds: row.max_seconds,
  chainMaxRuns: row.chain_max_runs,
  chainMaxTokens: row.chain_max_tokens,
  chainMaxSeconds: row.chain_max_seconds,
  createdBy: row.created_by,
  createdAt: row.created_at,
});
const activityFrom = (row: any): ActivityRow => ({
  id: row.id,
  canvasId: row.canvas_id,
  runId: row.run_id,
  actor: row.actor,
  userId: row.user_id,
  action: row.action,
  detail: row.detail,
  createdAt: row.created_at,
  chainId: row.chain_id ?? null,
  parentRunId: row.parent_run_id ?? null,
  depth: row.depth ?? null,
});

const columns: Record<string, string> = {
  name: "name",
  color: "color",
  persona: "persona",
  instructions: "instructions",
  model: "model",
  tools: "tools",
  maxTurns: "max_turns",
  maxTokens: "max_tokens",
  maxSeconds: "max_seconds",
  chainMaxRuns: "chain_max_runs",
  chainMaxTokens: "chain_max_tokens",
  chainMaxSeconds: "chain_max_seconds",
};

export class SqliteAgentStore implements AgentStore {
  constructor(private readonly db: Database.Database) {}

  async createAgent(agent: Parameters<AgentStore["createAgent"]>[0]) {
    const createdAt = new Date().toISOString();
    this.db
      .prepare(
        "INSERT INTO agents (id, workspace_id, name, color, persona, instructions, model, tools, max_turns, max_tokens, max_seconds, chain_max_runs, chain_max_tokens, chain_max_seconds, created_by, created_at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(agent.id, agent.workspaceId, agent.name, agent.color, agent.persona, agent.instructions, agent.model, JSON.stringify(agent.tools), agent.maxTurns, agent.maxTokens, agent.maxSeconds, agent.chainMaxRuns ?? null, agent.chainMaxTokens ?? null, agent.chainMaxSeconds ?? null, agent.createdBy, createdAt);
    return { chainMaxRuns: null, chainMaxTokens: null, chainMaxSeconds: null, ...agent, createdAt };
  }
  async updateAgent(id: string, fields: Parameters<AgentStore["updateAgent"]>[1]) {
    const entries = Object.entries(fields).filter(([key, value]) => columns[key] && value !== undefined);
    if (!entries.length) return;
    const sql = `UPDATE agents SET ${entries.map(([key]) => `${columns[key]} = ?`).join(", ")} WHERE id = ?`;
    this.db.prepare(sql).run(...entries.map(([key, value]) => (key === "tools" ? JSON.stringify(value) : value)), id);
  }
  async getAgent(id: string) {
    const row = this.db.prepare("SELECT * FROM agents WHERE id = ?").get(id);
    return row ? agentFrom(row) : null;
  }
  async listAgents(workspaceId: string) {
    return this.db.prepare("SELECT * FROM agents WHERE workspace_id = ? ORDER BY name COLLATE NOCASE").all(workspaceId).map(agentFrom);
  }
  async deleteAgent(id: string) {
    this.db.prepare("DELETE FROM agents WHERE id = ?").run(id);
  }
  async addActivity(entry: Parameters<AgentStore["addActivity"]>[0]) {
    this.db
      .prepare("INSERT INTO activity (canvas_id, run_id, actor, user_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(entry.canvasId, entry.runId, entry.actor, entry.userId, entry.action, entry.detail, new Date().toISOString());
  }
  async listActivity(canvasId: string, limit: number) {
    return this.db
      .prepare(
        "SELECT activity.*, ai_runs.chain_id, ai_runs.parent_run_id, ai_runs.depth FROM activity LEFT JOIN ai_runs ON ai_runs.id = activity.run_id " +
          "WHERE activity.canvas_id = ? ORDER BY activity.id DESC LIMIT ?",
      )
      .all(canvasId, limit)
      .map(activityFrom);
  }
}
