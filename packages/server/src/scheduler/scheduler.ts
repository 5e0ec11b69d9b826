import { newId } from "../ids.ts";
import type { Logger } from "../logger.ts";
import type { DueJob, JobStore } from "../storage/job-store.ts";
import type { Clock } from "./clock.ts";

/** What a handler says when its job is done: when it is due again (and why), or never. */
export type JobOutcome = { dueAt: number; attempt?: number; payload?: string | null } | null;

export interface JobContext {
  /** When the scheduler started: a job due before it was missed while the server was down. */
  startedAt: number;
  /** The time of the claim. */
  now: number;
  /** True when a previous holder claimed this job and never finished it (it crashed). */
  interrupted: boolean;
}

/** Runs one kind of job. Other capabilities (channel recaps) register their own kind. */
export interface JobHandler {
  run(job: DueJob, context: JobContext): Promise<JobOutcome>;
}

export interface SchedulerOptions {
  store: JobStore;
  clock: Clock;
  logger: Logger;
  /** Jobs running at once on this server, and per group (a workspace). */
  concurrency: number;
  groupConcurrency: number;
  /** How long a claim holds a job before another server may take it; renewed every third of it while the job runs. */
  leaseMs?: number;
  /**
   * Wake at least this often to see jobs other processes added (the CLI writes the same
   * database); 0 = only the earliest due time. One indexed query per wake, whatever the job count.
   */
  pollMs?: number;
  /** One server per data folder (SQLite): leases of earlier processes are taken over at start. */
  takeOverLeases?: boolean;
  /** Told how late each job started (ms after it was due), for benchmarks. */
  onDispatch?(job: DueJob, lateMs: number): void;
}

/**
 * The one scheduler (decision 0010): a queue of due jobs in the database, one timer for
 * the earliest due time — re-armed when jobs change — and leases, so a job never runs
 * twice at once and a crash mid-job is noticed (its lease is taken over on restart, and
 * its handler is told it was interrupted). No per-job timers: waiting jobs cost a row.
 */
export class Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly owner = newId();
  private readonly running = new Map<string, Promise<void>>();
  private readonly runningPerGroup = new Map<string, number>();
  private cancelTimer: (() => void) | null = null;
  private armedFor: number | null = null;
  private stopped = true;
  private pass: Promise<void> | null = null;
  private again = false;
  private heartbeat: (() => void) | null = null;
  startedAt = 0;

  constructor(private readonly options: SchedulerOptions) {}

  private get leaseMs() {
    return this.options.leaseMs ?? 60_000;
  }

  /** Registers the handler of a kind of job; call before `start`. */
  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.startedAt = this.options.clock.now();
    if (this.options.takeOverLeases) {
      const taken = await this.options.store.expireLeasesNotHeldBy(this.owner);
      if (taken) this.options.logger.warn({ jobs: taken }, "jobs were interrupted by the previous server's end; they run again by their policy");
    }
    this.wake();
  }

  /** Stops claiming and waits for running jobs to finish (their handlers get stopped by their owners). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.heartbeat?.();
    this.heartbeat = null;
    await this.pass;
    await Promise.all(this.running.values());
  }

  /** Something changed (a job added, moved or deleted): look again at what is due. */
  wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.dispatch()
      .catch((error) => this.options.logger.error({ err: error }, "scheduler pass failed"))
      .finally(() => {
        this.pass = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves once no job is running and no pass is under way (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.pass || this.running.size) {
      await this.pass;
      await Promise.all(this.running.values());
    }
  }

  /** When the timer is armed for (tests, benchmarks). */
  get nextWake(): number | null {
    return this.armedFor;
  }

  get runningCount(): number {
    return this.running.size;
  }

  private fullGroups(): string[] {
    return [...this.runningPerGroup].filter(([, count]) => count >= this.options.groupConcurrency).map(([group]) => group);
  }

  private async dispatch(): Promise<void> {
    const { store, clock, concurrency } = this.options;
    for (;;) {
      if (this.stopped) return;
      const now = clock.now();
      const free = concurrency - this.running.size;
      if (free <= 0) break;
      const claimed = await store.claimDue(now, free, this.fullGroups(), this.owner, now + this.leaseMs);
      let started = 0;
      for (const job of claimed) {
        // A group may fill up within one batch; the rest of its jobs go back.
        if ((this.runningPerGroup.get(job.groupKey) ?? 0) >= this.options.groupConcurrency) {
          await store.completeJob(job.id, this.owner, { dueAt: job.dueAt, attempt: job.attempt, payload: job.payload });
          continue;
        }
        this.launch(job, now);
        started++;
      }
      if (claimed.length < free || started === 0) break;
    }
    await this.arm();
  }

  private launch(job: DueJob, now: number): void {
    const { store, logger } = this.options;
    this.options.onDispatch?.(job, now - job.dueAt);
    this.runningPerGroup.set(job.groupKey, (this.runningPerGroup.get(job.groupKey) ?? 0) + 1);
    const handler = this.handlers.get(job.kind);
    const context: JobContext = { startedAt: this.startedAt, now, interrupted: job.leaseOwner !== null };
    const work = (async () => {
      let next: JobOutcome = null;
      try {
        if (!handler) throw new Error(`no handler for jobs of kind "${job.kind}"`);
        next = await handler.run(job, context);
      } catch (error) {
        logger.error({ err: error, job: job.id, kind: job.kind }, "job failed; it is dropped");
      }
      await store.completeJob(job.id, this.owner, next ? { dueAt: next.dueAt, attempt: next.attempt ?? 1, payload: next.payload ?? null } : null);
    })()
      .catch((error) => logger.error({ err: error, job: job.id }, "job could not be completed"))
      .finally(() => {
        this.running.delete(job.id);
        const count = (this.runningPerGroup.get(job.groupKey) ?? 1) - 1;
        if (count > 0) this.runningPerGroup.set(job.groupKey, count);
        else this.runningPerGroup.delete(job.groupKey);
        if (!this.running.size) {
          this.heartbeat?.();
          this.heartbeat = null;
        }
        this.wake();
      });
    this.running.set(job.id, work);
    this.keepLeases();
  }

  /** While jobs run, renews their leases every third of the lease. */
  private keepLeases(): void {
    if (this.heartbeat) return;
    const { clock, store, logger } = this.options;
    const beat = () => {
      const now = clock.now();
      this.heartbeat = clock.setTimer(now + this.leaseMs / 3, () => {
        this.heartbeat = null;
        if (!this.running.size || this.stopped) return;
        store.renewLeases(this.owner, [...this.running.keys()], clock.now() + this.leaseMs).catch((error) => logger.warn({ err: error }, "leases not renewed"));
        beat();
      });
    };
    beat();
  }

  /** Arms the one timer for the earliest due job (or the poll), after each pass. */
  private async arm(): Promise<void> {
    const { clock, store, pollMs = 0 } = this.options;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedFor = null;
    if (this.stopped || this.running.size >= this.options.concurrency) return; // a finishing job wakes us
    const now = clock.now();
    const due = await store.nextDueAt(now, this.fullGroups());
    const at = [due, pollMs > 0 ? now + pollMs : null].filter((time): time is number => time !== null);
    if (!at.length || this.stopped) return;
    const when = Math.max(Math.min(...at), now);
    this.armedFor = when;
    this.cancelTimer = clock.setTimer(when, () => {
      this.cancelTimer = null;
      this.armedFor = null;
      this.wake();
    });
  }
}
