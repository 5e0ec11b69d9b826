// Tasks: agent work that goes on without you (decision 0010). Named exports only.
export { Tasks, taskJobKind, type TaskEvents, type TaskInput, type TasksOptions } from "./tasks.ts";
export { TaskRunner, titleFrom, type RunResult } from "./task-runner.ts";
export { nextRuns, resolveSchedule, ScheduleError, type ScheduleInput } from "./schedule.ts";
export { parseSchedulePhrase, type ParsedPhrase } from "./schedule-phrase.ts";
