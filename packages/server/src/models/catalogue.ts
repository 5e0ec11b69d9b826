import fs from "node:fs";
import path from "node:path";

/** A model `cocanvas models pull` knows how to fetch and check. */
export interface CatalogueEntry {
  /** What `local:<name>` and `models pull <name>` call it. */
  name: string;
  /** File name in `<dataDir>/models/`. */
  file: string;
  url: string;
  /** Exact size in bytes and SHA-256 of the file, checked after every download. */
  size: number;
  sha256: string;
  description: string;
  license: string;
}

/**
 * The models Cocanvas can pull by name; the first is the default local model.
 *
 * Qwen2.5-0.5B-Instruct Q4_K_M is the official GGUF build by the Qwen team. The URL is
 * pinned to a repository revision and the entry carries that file's size and SHA-256 (its
 * Git LFS object id), so a changed or corrupted file is refused rather than loaded.
 */
export const catalogue: readonly CatalogueEntry[] = [
  {
    name: "qwen2.5-0.5b-instruct",
    file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    url: "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/9217f5db79a29953eb74d5343926648285ec7e67/qwen2.5-0.5b-instruct-q4_k_m.gguf",
    size: 491_400_032,
    sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
    description: "Qwen2.5 0.5B Instruct, Q4_K_M: small enough for any CPU, follows instructions and JSON schemas.",
    license: "Apache-2.0",
  },
];

export const defaultLocalModel: CatalogueEntry = catalogue[0]!;

export function catalogueEntry(name: string): CatalogueEntry | undefined {
  return catalogue.find((entry) => entry.name === name.trim().toLowerCase());
}

/** Where pulled models live: `<dataDir>/models`. */
export function modelsDir(dataDir: string): string {
  return path.join(dataDir, "models");
}

/**
 * The file a `local:` model id names: a catalogue name (`local:qwen2.5-0.5b-instruct`),
 * an absolute path, or a path relative to the models folder (`local:my-model.gguf`).
 * Says nothing about whether the file may be used: see {@link isAllowedLocalModel}.
 */
export function localModelPath(modelId: string, dir: string): { file: string; entry?: CatalogueEntry } {
  const entry = catalogueEntry(modelId);
  if (entry) return { file: path.join(dir, entry.file), entry };
  return { file: path.isAbsolute(modelId) ? path.resolve(modelId) : path.resolve(dir, modelId) };
}

/** Where `local:` models may come from (decision 0016). */
export interface LocalModelPlaces {
  /** Folders whose `.gguf` files may be named: the models folder and the admin's `COCANVAS_LOCAL_MODEL_DIRS`. */
  folders: string[];
  /** Single files the operator named (the file of `COCANVAS_MODEL`). */
  files: string[];
}

/**
 * Whether `file` may be loaded as a local model: a `.gguf` file inside one of the allowed
 * folders (after resolving `..`), or exactly a file the operator configured. Anything
 * else is refused before the file system is touched, so a model name can never be used
 * to learn whether a server file exists, its size or its first bytes.
 */
export function isAllowedLocalModel(file: string, places: LocalModelPlaces): boolean {
  const resolved = path.resolve(file);
  if (places.files.some((allowed) => path.resolve(allowed) === resolved)) return true;
  if (!resolved.toLowerCase().endsWith(".gguf")) return false;
  return places.folders.some((folder) => {
    const relative = path.relative(path.resolve(folder), resolved);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  });
}

export interface PulledModel {
  /** `local:<name>` for catalogue models, else `local:<file name>`. */
  spec: string;
  file: string;
  size: number;
  entry?: CatalogueEntry;
}

/** The `.gguf` files in the models folder (finished downloads only). */
export function listPulledModels(dir: string): PulledModel[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".gguf"))
    .sort()
    .map((name) => {
      const entry = catalogue.find((candidate) => candidate.file === name);
      const file = path.join(dir, name);
      return { spec: `local:${entry?.name ?? name}`, file, size: fs.statSync(file).size, entry };
    });
}
