/** What one chain of agent runs may spend: the request a person made and every hand-off it led to. */
export interface ChainBudget {
  /** Runs in the chain, the first one included; each hand-off is one more. */
  maxRuns: number;
  /** Input + output tokens of every run in the chain together. */
  maxTokens: number;
  /** Wall time from the first run's start until the last run ends. */
  maxSeconds: number;
}

export type ChainLimit = "runs" | "tokens" | "seconds";

/**
 * One person's request and the runs it led to through hand-offs. Every run of the chain
 * counts against one budget, so an agent that hands off on every turn cannot turn one
 * request into dozens of runs: a hand-off past `maxRuns` is refused, and once the chain's
 * tokens or time are spent every run still going in it is stopped.
 */
export class AgentChain {
  runs = 0;
  tokens = 0;
  /** Which limit ended the chain, once one has. */
  exhausted: ChainLimit | null = null;
  /** Aborts when the chain's time is up. */
  readonly deadline: AbortSignal;
  private readonly stopRuns = new Map<string, () => void>();

  constructor(
    readonly rootRunId: string,
    readonly budget: ChainBudget,
  ) {
    this.deadline = AbortSignal.timeout(budget.maxSeconds * 1000);
    this.deadline.addEventListener("abort", () => this.exhaust("seconds"), { once: true });
  }

  /** Counts a new run (the first, or a hand-off); false when the chain may start no more. */
  admit(): boolean {
    if (this.exhausted) return false;
    if (this.runs >= this.budget.maxRuns) {
      this.exhausted = "runs";
      return false;
    }
    this.runs++;
    return true;
  }

  /** A run of the chain, stopped (`stop`) when the chain's tokens or time run out. */
  join(runId: string, stop: () => void): void {
    this.stopRuns.set(runId, stop);
  }

  leave(runId: string): void {
    this.stopRuns.delete(runId);
  }

  /** Adds a run's model step; stops the whole chain once its tokens are spent. */
  spend(tokens: number): void {
    this.tokens += tokens;
    if (this.tokens > this.budget.maxTokens) this.exhaust("tokens");
  }

  private exhaust(limit: ChainLimit): void {
    if (this.exhausted === "tokens" || this.exhausted === "seconds") return;
    this.exhausted = limit;
    for (const stop of [...this.stopRuns.values()]) stop();
  }

  /** What to tell people when the chain's budget ended a run or refused a hand-off. */
  describe(): string {
    const { maxRuns, maxTokens, maxSeconds } = this.budget;
    const what = this.exhausted === "runs" ? `${maxRuns} runs` : this.exhausted === "tokens" ? `${maxTokens} tokens` : `${maxSeconds} seconds`;
    return `This chain of agents (started by run ${this.rootRunId}) reached its budget of ${what}.`;
  }
}
