import { memoryHeading } from "../memory/reflection.ts";

/** A run's prompt as stored: the system prompt, the messages, and the invoker's memory section apart from both. */
export interface StoredPrompt {
  /** The system prompt without the memory section. */
  system: string;
  messages: unknown[];
  /** The invoker's memory section, which the model saw after `system` ("" when nothing was remembered). */
  memory: string;
}

/** The JSON stored as a run's prompt; the memory is kept apart so it can be shown to its owner only. */
export function storedPrompt(system: string, messages: unknown[], memory: string): string {
  return JSON.stringify({ system, messages, memory } satisfies StoredPrompt);
}

/** The system prompt the model saw: the system prompt, then the memory section. */
export function systemWithMemory(prompt: Pick<StoredPrompt, "system" | "memory">): string {
  return [prompt.system, prompt.memory].filter(Boolean).join("\n\n");
}

/** Reads a stored prompt; runs stored before the memory was kept apart carry it at the end of `system`. */
export function parseStoredPrompt(json: string): StoredPrompt {
  let parsed: Partial<StoredPrompt> = {};
  try {
    parsed = JSON.parse(json) as Partial<StoredPrompt>;
  } catch {
    parsed = {};
  }
  const system = typeof parsed.system === "string" ? parsed.system : "";
  const messages = Array.isArray(parsed.messages) ? parsed.messages : [];
  if (typeof parsed.memory === "string") return { system, messages, memory: parsed.memory };
  const at = system.indexOf(`\n\n${memoryHeading}`);
  return at < 0 ? { system, messages, memory: "" } : { system: system.slice(0, at), messages, memory: system.slice(at + 2) };
}

/**
 * A run's prompt as `viewer` may see it (decision 0016): the person who asked, and
 * server admins, see the memory section the model was given; everyone else who can see
 * the canvas sees the prompt without it, and that it was withheld.
 */
export function promptForViewer(json: string, invokerId: string | null, viewer: { id: string; isAdmin: boolean }): { system: string; messages: unknown[]; memory?: string; memoryWithheld?: true } {
  const { system, messages, memory } = parseStoredPrompt(json);
  if (!memory) return { system, messages };
  if (viewer.id === invokerId || viewer.isAdmin) return { system, messages, memory };
  return { system, messages, memoryWithheld: true };
}
