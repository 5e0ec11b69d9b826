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
  /** The budget of a chain this agent starts (null: the server's default). */
  chainMaxRuns: number | null;
  chainMaxTokens: number | null;
  chainMaxSeconds: number | null;
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
  /** The run's place in its chain of hand-offs: the first run's id, the run that handed over, how deep. */
  chainId: string | null;
  parentRunId: string | null;
  depth: number | null;
}

/** Agents per workspace and the per-canvas activity log of what they did. */
export interface AgentStore {
  createAgent(agent: Omit<AgentRow, "createdAt" | "chainMaxRuns" | "chainMaxTokens" | "chainMaxSeconds"> & Partial<Pick<AgentRow, "chainMaxRuns" | "chainMaxTokens" | "chainMaxSeconds">>): Promise<AgentRow>;
  updateAgent(id: string, fields: Partial<Omit<AgentRow, "id" | "workspaceId" | "createdBy" | "createdAt">>): Promise<void>;
  getAgent(id: string): Promise<AgentRow | null>;
  listAgents(workspaceId: string): Promise<AgentRow[]>;
  deleteAgent(id: string): Promise<void>;
  addActivity(entry: Omit<ActivityRow, "id" | "createdAt" | "chainId" | "parentRunId" | "depth">): Promise<void>;
  listActivity(canvasId: string, limit: number): Promise<ActivityRow[]>;
}
