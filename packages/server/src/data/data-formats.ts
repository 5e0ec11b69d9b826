import type { ImportFormat } from "@cocanvas/sandbox";

export const importFormats: readonly ImportFormat[] = ["csv", "tsv", "json", "ndjson", "parquet"];

const byExtension: Record<string, ImportFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  ndjson: "ndjson",
  jsonl: "ndjson",
  parquet: "parquet",
};

const byMediaType: Record<string, ImportFormat> = {
  "text/csv": "csv",
  "text/tab-separated-values": "tsv",
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/jsonl": "ndjson",
  "application/vnd.apache.parquet": "parquet",
};

/** The format a file name (by its extension) or a media type names, if any. */
export function formatOf(fileName: string | undefined, mediaType?: string): ImportFormat | null {
  const extension = fileName?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (extension && byExtension[extension]) return byExtension[extension];
  const type = mediaType?.split(";")[0]?.trim().toLowerCase();
  return (type && byMediaType[type]) || null;
}

/** A table name from a file name: `Sales 2025.csv` → `sales_2025`. */
export function tableNameFor(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, "").replace(/\.[^.]+$/, "").toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  const name = /^[a-z_]/.test(base) ? base : `t_${base}`;
  return name.slice(0, 63) || "data";
}
