import type Database from "better-sqlite3";
import type { DueJob, JobStore } from "./job-store.ts";

const jobFrom = (row: any): DueJob => ({
  id: row.id,
  kind: row.kind,
  groupKey: row.group_key,
  dueAt: row.due_at,
  attempt: row.attempt,
  payload: row.payload,
  leaseOwner: row.lease_owner,
  leaseUntil: row.lease_until,
});

/** `group_key NOT IN (?, ?, ...)` for the groups at their concurrency limit. */
const excluding = (groups: string[]) => (groups.length ? ` AND group_key NOT IN (${groups.map(() => "?").join(", ")})` : "");

/**
 * Due jobs in SQLite. A claim is one write transaction (SELECT the due rows, UPDATE their
 * lease), which SQLite serialises; Postgres would do the same in one statement with
 * `FOR UPDATE SKIP LOCKED` (decision 0010).
 */
export class SqliteJobStore implements JobStore {
  private readonly claim;

  constructor(private readonly db: Database.Database) {
    this.claim = db.transaction((now: number, limit: number, excludeGroups: string[], owner: string, leaseUntil: number) => {
      const rows = db
        .prepare(`SELECT * FROM due_jobs WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?)${excluding(excludeGroups)} ORDER BY due_at LIMIT ?`)
        .all(now, now, ...excludeGroups, limit)
        .map(jobFrom);
      const lease = db.prepare("UPDATE due_jobs SET lease_owner = ?, lease_until = ? WHERE id = ?");
      for (const job of rows) lease.run(owner, leaseUntil, job.id);
      return rows;
    });
  }

  async putJob(job: Parameters<JobStore["putJob"]>[0]) {
    this.db
      .prepare(
        "INSERT INTO due_jobs (id, kind, group_key, due_at, attempt, payload) VALUES (?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, group_key = excluded.group_key, due_at = excluded.due_at, attempt = excluded.attempt, payload = excluded.payload",
      )
      .run(job.id, job.kind, job.groupKey, job.dueAt, job.attempt ?? 1, job.payload ?? null);
  }
  async getJob(id: string) {
    const row = this.db.prepare("SELECT * FROM due_jobs WHERE id = ?").get(id);
    return row ? jobFrom(row) : null;
  }
  async deleteJob(id: string) {
    this.db.prepare("DELETE FROM due_jobs WHERE id = ?").run(id);
  }
  async nextDueAt(now: number, excludeGroups: string[]) {
    // Free jobs by walking the due_at index to the first free one (left to itself, SQLite
    // picks the lease_owner index for IS NULL — every waiting job — and sorts them all);
    // held ones come back when their lease ends, read from the lease_owner index.
    const free = this.db
      .prepare(`SELECT due_at FROM due_jobs INDEXED BY due_jobs_due WHERE lease_owner IS NULL${excluding(excludeGroups)} ORDER BY due_at LIMIT 1`)
      .pluck()
      .get(...excludeGroups) as number | undefined;
    const expiring = this.db
      .prepare(`SELECT MIN(MAX(due_at, lease_until)) FROM due_jobs INDEXED BY due_jobs_lease WHERE lease_owner > ''${excluding(excludeGroups)}`)
      .pluck()
      .get(...excludeGroups) as number | null;
    const times = [free, expiring === null ? undefined : Math.max(expiring, now)].filter((time): time is number => typeof time === "number");
    return times.length ? Math.min(...times) : null;
  }
  async claimDue(now: number, limit: number, excludeGroups: string[], owner: string, leaseUntil: number) {
    return limit > 0 ? this.claim.immediate(now, limit, excludeGroups, owner, leaseUntil) : [];
  }
  async renewLeases(owner: string, ids: string[], leaseUntil: number) {
    const renew = this.db.prepare("UPDATE due_jobs SET lease_until = ? WHERE id = ? AND lease_owner = ?");
    this.db.transaction(() => ids.forEach((id) => renew.run(leaseUntil, id, owner)))();
  }
  async completeJob(id: string, owner: string, next: Pick<DueJob, "dueAt" | "attempt" | "payload"> | null) {
    if (next) {
      this.db
        .prepare("UPDATE due_jobs SET due_at = ?, attempt = ?, payload = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
        .run(next.dueAt, next.attempt, next.payload, id, owner);
    } else {
      this.db.prepare("DELETE FROM due_jobs WHERE id = ? AND lease_owner = ?").run(id, owner);
    }
  }
  async expireLeasesNotHeldBy(owner: string) {
    return this.db.prepare("UPDATE due_jobs SET lease_until = 0 WHERE lease_owner IS NOT NULL AND lease_owner <> ?").run(owner).changes;
  }
  async countJobs() {
    return this.db.prepare("SELECT COUNT(*) FROM due_jobs").pluck().get() as number;
  }
}
