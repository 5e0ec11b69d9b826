import { tool, type ToolSet } from "ai";
import { z } from "zod";
import type { AgentProfile } from "../agents/personas.ts";
import type { AiRunRow } from "../storage/ai-store.ts";
import type { AgentChain } from "./agent-chain.ts";

/** How many times agents may hand work to each other in a chain started by one person. */
export const maxHandoffDepth = 2;

export interface HandoffContext {
  workspaceId: string;
  /** How deep the handing run is. */
  depth: number;
  chain: AgentChain;
  findAgent(workspaceId: string, nameOrId: string): Promise<AgentProfile | null>;
  /** Starts the other agent's run: same invoker and range, one level deeper, in the same chain. */
  startRun(agent: AgentProfile, instruction: string): Promise<{ runId: string }>;
  recordCall(call: AiRunRow["toolCalls"][number]): void;
  log(action: string, detail?: string): void;
  /** Notes for the handing run's reply. */
  notes: string[];
}

/**
 * The `handoff` tool: the only way an agent starts another. Refused past `maxHandoffDepth`
 * or once the chain's budget is spent (the reply and the activity log say so).
 */
export function handoffTool(context: HandoffContext): ToolSet {
  const { chain, notes, log } = context;
  const refusedByChain = (name: string) => {
    if (!notes.includes(chain.describe())) notes.push(chain.describe());
    log("chain-budget", `hand-off to ${name} refused: ${chain.describe()}`);
  };
  return {
    handoff: tool({
      description: `Hand part of the work to another agent by name (for example Critic, Editor, Writer), with an instruction. Hand-offs can go ${maxHandoffDepth} levels deep.`,
      inputSchema: z.object({ agent: z.string().describe("The other agent's name"), instruction: z.string().describe("What it should do") }),
      execute: async (input) => {
        let result: string;
        const target = await context.findAgent(context.workspaceId, input.agent);
        if (!target) result = `Error: there is no agent called "${input.agent}".`;
        else if (context.depth + 1 > maxHandoffDepth) result = `Error: the hand-off limit (${maxHandoffDepth}) is reached; finish the work yourself.`;
        else if (chain.exhausted) {
          result = `Error: ${chain.describe()} Finish the work yourself.`;
          refusedByChain(target.name);
        } else {
          try {
            const started = await context.startRun(target, input.instruction);
            result = `Handed off to ${target.name} (run ${started.runId}).`;
            log("handoff", `${target.name}: ${input.instruction.slice(0, 200)}`);
          } catch (error) {
            result = `Error: ${error instanceof Error ? error.message : String(error)}`;
            if (chain.exhausted) refusedByChain(target.name);
          }
        }
        context.recordCall({ name: "handoff", input, result });
        return result;
      },
    }),
  };
}
