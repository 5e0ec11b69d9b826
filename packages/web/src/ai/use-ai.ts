import type { AiSelection, ListResponse, QuickAction } from "@cocanvas/protocol";
import { useCallback } from "react";
import { api } from "../app/api-client.ts";
import { useResource } from "../ui/use-resource.ts";
import { useWorkspaceChanges } from "../events/use-live-events.ts";

export interface SavedQuickActionInput {
  name: string;
  prompt: string;
  canvasKind: "doc" | "code" | "any";
  scope: "user" | "workspace";
}

/** An agent the workspace can call on, as `GET /api/workspaces/{id}/agents` lists it. */
export interface AgentInfo {
  id: string;
  name: string;
  color: string;
  persona: string;
  instructions: string;
  model: string | null;
  tools: ("edit" | "comment" | "handoff")[];
  maxTurns: number;
  maxTokens: number;
  maxSeconds: number;
  builtin: boolean;
}

/** What a person sets when defining or changing a workspace agent (colour and id are the server's). */
export type AgentInput = Pick<AgentInfo, "name" | "persona" | "instructions" | "model" | "tools" | "maxTurns" | "maxTokens" | "maxSeconds">;

export interface ActivityEntry {
  id: number;
  runId: string | null;
  actor: string;
  action: string;
  detail: string;
  createdAt: string;
  /** The run's chain of hand-offs: its first run, the run that handed over, how deep. */
  chainId: string | null;
  parentRunId: string | null;
  depth: number | null;
}

export interface RunRequest {
  agentId?: string;
  instruction?: string;
  quickAction?: { id: string; param?: string };
  selection?: AiSelection;
  path?: string;
}

/** The provenance of one run, as `GET /api/ai/runs/{id}` returns it. */
export interface RunDetails {
  id: string;
  agent: string;
  provider: string;
  model: string;
  /** The model that answered, as the provider reported it. */
  responseModel: string | null;
  instruction: string;
  quickAction: string | null;
  /** `memory`: the asker's memory section, shown to them and admins only; `memoryWithheld` when another person's was left out. */
  prompt: { system: string; messages: { role: string; content: string }[]; memory?: string; memoryWithheld?: true };
  toolCalls: { name: string; input: unknown; result: string }[];
  status: string;
  error: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  firstTokenMs: number | null;
  latencyMs: number | null;
  createdAt: string;
  running: boolean;
  feedback: { kind: string; userId: string | null; createdAt: string }[];
}

/** The AI endpoints of one canvas. */
export function useAi(canvasId: string, workspaceId: string | undefined) {
  const agents = useResource(workspaceId ? `agents:${workspaceId}` : null, async () => (await api.get<ListResponse<AgentInfo>>(`/api/workspaces/${workspaceId}/agents`)).items);
  useWorkspaceChanges(workspaceId, ["agents"], agents.reload);
  const activity = useResource(`activity:${canvasId}`, () => api.get<ListResponse<ActivityEntry> & { running: { runId: string; agent: string }[] }>(`/api/canvases/${canvasId}/activity`));
  const createAgent = useCallback(
    async (input: AgentInput) => {
      const created = await api.post<AgentInfo>(`/api/workspaces/${workspaceId}/agents`, input);
      await agents.reload();
      return created;
    },
    [workspaceId, agents],
  );
  const updateAgent = useCallback(
    async (id: string, input: AgentInput) => {
      const updated = await api.patch<AgentInfo>(`/api/agents/${id}`, input);
      await agents.reload();
      return updated;
    },
    [agents],
  );
  const deleteAgent = useCallback(
    async (id: string) => {
      await api.delete(`/api/agents/${id}`);
      await agents.reload();
    },
    [agents],
  );
  const quickActions = useResource(`quick-actions:${canvasId}`, async () => (await api.get<ListResponse<QuickAction & { createdBy?: string }>>(`/api/canvases/${canvasId}/quick-actions`)).items);
  const run = useCallback((request: RunRequest) => api.post<{ runId: string }>(`/api/canvases/${canvasId}/ai/runs`, request), [canvasId]);
  const stop = useCallback((runId: string) => api.post(`/api/ai/runs/${runId}/stop`), []);
  const rate = useCallback((runId: string, rating: "up" | "down") => api.post(`/api/ai/runs/${runId}/feedback`, { rating }), []);
  const details = useCallback((runId: string) => api.get<RunDetails>(`/api/ai/runs/${runId}`), []);
  const saveQuickAction = useCallback(
    async (input: SavedQuickActionInput) => {
      await api.post("/api/quick-actions", { ...input, workspaceId });
      await quickActions.reload();
    },
    [workspaceId, quickActions],
  );
  const deleteQuickAction = useCallback(
    async (id: string) => {
      await api.delete(`/api/quick-actions/${id}`);
      await quickActions.reload();
    },
    [quickActions],
  );
  return { agents, activity, createAgent, updateAgent, deleteAgent, quickActions, run, stop, rate, details, saveQuickAction, deleteQuickAction };
}
