/** A one-line progress indicator on stderr (plain lines when stderr is not a terminal). */
const tty = process.stderr.isTTY === true;
let last = "";
let lastPlain = 0;

export const progress = {
  set(text: string) {
    if (text === last) return;
    last = text;
    if (tty) {
      const width = process.stderr.columns ?? 120;
      process.stderr.write(`\r\x1b[K${text.slice(0, width - 1)}`);
    } else if (Date.now() - lastPlain > 5000 || !text.includes("…")) {
      lastPlain = Date.now();
      process.stderr.write(`${text}\n`);
    }
  },
  /** Ends the progress line so that ordinary output can follow. */
  done() {
    if (tty && last) process.stderr.write("\r\x1b[K");
    last = "";
  },
};

/** Counts down a timed phase on the progress line. */
export async function countdown(label: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    progress.set(`${label} ${Math.ceil((end - Date.now()) / 1000)}s left…`);
    await new Promise((r) => setTimeout(r, Math.min(500, Math.max(0, end - Date.now()))));
  }
}
