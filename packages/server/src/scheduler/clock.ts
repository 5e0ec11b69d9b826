/** Time as the scheduler sees it: real time in the server, a manual clock in tests. */
export interface Clock {
  now(): number;
  /** Calls `callback` once `at` (ms since the epoch) has come; returns a function that cancels it. */
  setTimer(at: number, callback: () => void): () => void;
}

/** Node's timers cap a delay at about 24.8 days; a longer wait re-arms itself. */
const longestDelay = 2 ** 31 - 1;

/** The real clock: one Node timer per armed call (the scheduler arms one at a time). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, callback) {
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = at - Date.now();
      handle = setTimeout(delay > longestDelay ? arm : callback, Math.min(Math.max(0, delay), longestDelay));
      handle.unref();
    };
    arm();
    return () => clearTimeout(handle);
  },
};
