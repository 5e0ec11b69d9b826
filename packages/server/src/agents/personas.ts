import type { ChainBudget } from "../ai/agent-chain.ts";
import type { AgentRow } from "../storage/agent-store.ts";

/** What an agent may do; each group is further limited by the role of whoever invoked it. */
export type AgentTool = "edit" | "comment" | "handoff";
export const agentTools: AgentTool[] = ["edit", "comment", "handoff"];

export const personas = ["assistant", "writer", "critic", "editor", "coder", "analyst", "researcher", "custom"] as const;
export type Persona = (typeof personas)[number];

export interface AgentBudget {
  /** Model round trips per request. */
  maxTurns: number;
  /** Input + output tokens per request. */
  maxTokens: number;
  /** Wall time per request. */
  maxSeconds: number;
}

/** An agent as the runtime uses it: a built-in persona or one a workspace defined. */
export interface AgentProfile {
  /** `builtin:<persona>` or the id of a workspace agent. */
  id: string;
  name: string;
  color: string;
  persona: Persona;
  /** What the agent is for, added to the system prompt. */
  instructions: string;
  /** `provider:model`, or null for the workspace's default. */
  model: string | null;
  tools: AgentTool[];
  budget: AgentBudget;
  /** What a chain this agent starts (it and every hand-off after it) may spend; the server's defaults fill what is not set. */
  chainBudget?: Partial<ChainBudget>;
  builtin: boolean;
}

export const defaultBudget: AgentBudget = { maxTurns: 8, maxTokens: 60_000, maxSeconds: 180 };

const builtin = (persona: Persona, name: string, color: string, tools: AgentTool[], instructions: string): AgentProfile => ({
  id: `builtin:${persona}`,
  name,
  color,
  persona,
  instructions,
  model: null,
  tools,
  budget: defaultBudget,
  builtin: true,
});

export const builtinAgents: AgentProfile[] = [
  builtin("assistant", "Assistant", "#7c3aed", ["edit", "comment", "handoff"], "You are a helpful co-editor: do what the person asks, precisely and no more."),
  builtin("writer", "Writer", "#0b7285", ["edit", "handoff"], "You are a writer: you draft, expand and rewrite prose in the canvas's voice, section by section."),
  builtin(
    "critic",
    "Critic",
    "#c92a2a",
    ["comment", "handoff"],
    "You are a critic: you review the canvas and leave comments, never edits. Each comment is anchored to the exact passage it is about and says what is wrong, why, and what would fix it. Comment only on real problems (clarity, correctness, structure, tone, missing evidence); at most 8 comments.",
  ),
  builtin(
    "editor",
    "Editor",
    "#2b8a3e",
    ["edit", "comment"],
    "You are an editor: you answer review comments. For each open comment thread you are given, propose one suggestion that addresses it (set `threadId` on the edit) and reply to the thread in one sentence saying what you changed. If a comment needs no change, reply and explain.",
  ),
  builtin("coder", "Coder", "#1864ab", ["edit", "comment", "handoff"], "You are a senior programmer: you write and fix code with small, correct, idiomatic changes and explain them briefly."),
  builtin("analyst", "Analyst", "#e67700", ["edit", "comment"], "You are a data analyst: you check numbers, reasoning and claims, and propose precise corrections."),
  builtin("researcher", "Researcher", "#862e9c", ["edit", "comment"], "You are a researcher: you point out unsupported claims and propose careful, sourced wording. Never invent a source."),
];

export const defaultAgent = builtinAgents[0]!;

export function builtinAgent(id: string): AgentProfile | null {
  return builtinAgents.find((agent) => agent.id === id) ?? null;
}

export function profileOf(row: AgentRow): AgentProfile {
  const base = builtinAgents.find((agent) => agent.persona === row.persona);
  return {
    id: row.id,
    name: row.name,
    color: row.color,
    persona: (personas as readonly string[]).includes(row.persona) ? (row.persona as Persona) : "custom",
    instructions: [base?.instructions, row.instructions].filter(Boolean).join("\n"),
    model: row.model,
    tools: row.tools.filter((tool): tool is AgentTool => (agentTools as string[]).includes(tool)),
    budget: { maxTurns: row.maxTurns, maxTokens: row.maxTokens, maxSeconds: row.maxSeconds },
    chainBudget: {
      ...(row.chainMaxRuns !== null ? { maxRuns: row.chainMaxRuns } : {}),
      ...(row.chainMaxTokens !== null ? { maxTokens: row.chainMaxTokens } : {}),
      ...(row.chainMaxSeconds !== null ? { maxSeconds: row.chainMaxSeconds } : {}),
    },
    builtin: false,
  };
}
