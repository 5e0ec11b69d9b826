/** File extensions (lower case, without the dot) and the language each one is written in. */
const languagesByExtension: Record<string, string> = {
  js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "jsx",
  ts: "typescript", mts: "typescript", cts: "typescript", tsx: "tsx",
  py: "python", pyi: "python", rb: "ruby", php: "php",
  rs: "rust", go: "go", java: "java", kt: "kotlin", kts: "kotlin", scala: "scala", swift: "swift",
  c: "c", h: "c", cpp: "cpp", cc: "cpp", cxx: "cpp", hpp: "cpp", hh: "cpp", cs: "csharp",
  json: "json", jsonc: "json", yaml: "yaml", yml: "yaml", toml: "toml", xml: "xml", svg: "xml",
  css: "css", scss: "scss", less: "less", html: "html", htm: "html", vue: "vue", svelte: "svelte",
  md: "markdown", markdown: "markdown", mdx: "markdown",
  sh: "shell", bash: "shell", zsh: "shell", ps1: "powershell",
  sql: "sql", graphql: "graphql", gql: "graphql", lua: "lua", r: "r", dart: "dart",
  ex: "elixir", exs: "elixir", erl: "erlang", hs: "haskell", clj: "clojure", ml: "ocaml",
  dockerfile: "dockerfile", tf: "hcl", proto: "protobuf", ini: "ini", txt: "plaintext",
};

/** Whole file names that say their language without an extension. */
const languagesByFileName: Record<string, string> = {
  dockerfile: "dockerfile",
  makefile: "makefile",
  ".bashrc": "shell",
  ".zshrc": "shell",
  ".gitignore": "plaintext",
};

/**
 * Guesses a file's language from its name, for syntax highlighting; `"plaintext"` when
 * the name says nothing.
 *
 * @example
 * ```ts
 * languageForPath("src/app.tsx"); // "tsx"
 * languageForPath("scripts/deploy.sh"); // "shell"
 * languageForPath("LICENSE"); // "plaintext"
 * ```
 */
export function languageForPath(path: string): string {
  const fileName = path.split(/[\\/]/).pop()?.toLowerCase() ?? "";
  const byName = languagesByFileName[fileName];
  if (byName) return byName;
  const dot = fileName.lastIndexOf(".");
  if (dot <= 0 && !fileName.startsWith(".")) return "plaintext";
  return languagesByExtension[fileName.slice(dot + 1)] ?? "plaintext";
}
