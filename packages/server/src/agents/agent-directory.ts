import type { AgentStore } from "../storage/agent-store.ts";
import { builtinAgent, builtinAgents, profileOf, type AgentProfile } from "./personas.ts";

/** The agents a workspace can call on: the built-in personas and its own. */
export class AgentDirectory {
  constructor(private readonly store: AgentStore) {}

  async list(workspaceId: string): Promise<AgentProfile[]> {
    const own = (await this.store.listAgents(workspaceId)).map(profileOf);
    return [...builtinAgents, ...own];
  }

  /** An agent by id (`builtin:critic` or a workspace agent's id), if the workspace can use it. */
  async get(workspaceId: string, id: string): Promise<AgentProfile | null> {
    const builtin = builtinAgent(id);
    if (builtin) return builtin;
    const row = await this.store.getAgent(id);
    return row && row.workspaceId === workspaceId ? profileOf(row) : null;
  }

  /** An agent by name, case-insensitively (`@Critic` in a comment); the workspace's own win over built-ins. */
  async findByName(workspaceId: string, name: string): Promise<AgentProfile | null> {
    const wanted = name.trim().toLowerCase();
    const agents = await this.list(workspaceId);
    return agents.reverse().find((agent) => agent.name.toLowerCase() === wanted) ?? null;
  }

  /** By id or by name. */
  async find(workspaceId: string, nameOrId: string): Promise<AgentProfile | null> {
    return (await this.get(workspaceId, nameOrId)) ?? (await this.findByName(workspaceId, nameOrId));
  }
}
