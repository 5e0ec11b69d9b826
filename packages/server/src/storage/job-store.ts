/** Something the scheduler must do at `dueAt` (ms since the epoch); `kind` says which handler. */
export interface DueJob {
  id: string;
  kind: string;
  /** Jobs of one group share a concurrency limit (a task's workspace). */
  groupKey: string;
  dueAt: number;
  /** 1 for a first try; retries count up. */
  attempt: number;
  /** The handler's own JSON (why it is due: schedule, run now, retry). */
  payload: string | null;
  /** Who holds the job while it runs, and until when (renewed while it runs). */
  leaseOwner: string | null;
  leaseUntil: number | null;
}

/**
 * The scheduler's queue of due jobs (decision 0010). One row per job, one index on
 * `due_at`: the scheduler only ever asks for the earliest due time and for the jobs due
 * now, so its cost does not grow with how many jobs wait.
 */
export interface JobStore {
  /** Inserts or replaces a job's schedule (a job held by a lease keeps its lease). */
  putJob(job: Pick<DueJob, "id" | "kind" | "groupKey" | "dueAt"> & Partial<Pick<DueJob, "attempt" | "payload">>): Promise<void>;
  getJob(id: string): Promise<DueJob | null>;
  deleteJob(id: string): Promise<void>;
  /** The earliest due time of a job nobody holds (or whose lease expired), outside `excludeGroups`. */
  nextDueAt(now: number, excludeGroups: string[]): Promise<number | null>;
  /**
   * Atomically leases up to `limit` jobs due at `now` (oldest first) that nobody holds or
   * whose lease expired, outside `excludeGroups`. Returns them as they were before the
   * claim: a non-null `leaseOwner` means a previous holder never finished (it crashed).
   */
  claimDue(now: number, limit: number, excludeGroups: string[], owner: string, leaseUntil: number): Promise<DueJob[]>;
  /** Extends the leases `owner` holds. */
  renewLeases(owner: string, ids: string[], leaseUntil: number): Promise<void>;
  /** Ends `owner`'s hold: the job is due again at `next.dueAt`, or deleted when `next` is null. No-op if `owner` no longer holds it. */
  completeJob(id: string, owner: string, next: Pick<DueJob, "dueAt" | "attempt" | "payload"> | null): Promise<void>;
  /** Makes every lease not held by `owner` expire now (one server per SQLite data folder: the others are dead). */
  expireLeasesNotHeldBy(owner: string): Promise<number>;
  countJobs(): Promise<number>;
}
