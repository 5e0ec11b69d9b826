/** An agent a workspace defined (built-in personas are in agents/personas.ts). */
export interface AgentRow {
  id: string;
  workspaceId: string;
  name: string;
  color: string;
  persona: string;
  instructions: string;
  model: string | null;
  tools: string[];
  maxTurns: number;
  maxTokens: number;
  maxSeconds: number;
  createdBy: string | null;
  createdAt: string;
}

export interface ActivityRow {
  id: number;
  canvasId: string;
  runId: string | null;
  actor: string;
  userId: string | null;
  action: string;
  detail: string;
  createdAt: string;
}

/** Agents per workspace and the per-canvas activity log of what they did. */
export interface AgentStore {
  createAgent(agent: Omit<AgentRow, "createdAt">): Promise<AgentRow>;
  updateAgent(id: string, fields: Partial<Omit<AgentRow, "id" | "workspaceId" | "createdBy" | "createdAt">>): Promise<void>;
  getAgent(id: string): Promise<AgentRow | null>;
  listAgents(workspaceId: string): Promise<AgentRow[]>;
  deleteAgent(id: string): Promise<void>;
  addActivity(entry: Omit<ActivityRow, "id" | "createdAt">): Promise<void>;
  listActivity(canvasId: string, limit: number): Promise<ActivityRow[]>;
}
