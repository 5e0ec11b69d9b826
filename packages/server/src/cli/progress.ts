import cliProgress from "cli-progress";

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** A progress bar on standard error (quiet when it is not a terminal). */
export function progressBar(label: string, unit: "pages" | "bytes" | "decisions" = "pages") {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total}${unit === "bytes" ? "" : ` ${unit}`}`,
      formatValue: unit === "bytes" ? (value, _options, type) => (type === "value" || type === "total" ? megabytes(value) : String(value)) : undefined,
      stream: process.stderr,
      noTTYOutput: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
