// The one scheduler of due jobs (decision 0010). Named exports only.
export { systemClock, type Clock } from "./clock.ts";
export { Scheduler, type JobContext, type JobHandler, type JobOutcome, type SchedulerOptions } from "./scheduler.ts";
