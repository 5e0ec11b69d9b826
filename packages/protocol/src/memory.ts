import { z } from "zod";

/** One thing agents remember about a person in a workspace (only that person sees it). */
export interface MemoryEntry {
  id: string;
  workspaceId: string;
  kind: "style" | "fact";
  text: string;
  /** The AI run the entry was distilled from (the newest among the evidence); null if none. */
  sourceRunId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/workspaces/{id}/memory` */
export interface MemoryList {
  items: MemoryEntry[];
  /** When reflection last read the person's work here; null if never. */
  reflectedAt: string | null;
}

/** `POST /api/workspaces/{id}/memory/reflect` */
export interface MemoryReflection extends MemoryList {
  added: MemoryEntry[];
  /** What the reflection read: decisions on suggestions, thumbs and requests since the last one. */
  evidence: { decisions: number; ratings: number; requests: number };
}

export const MemoryPatchBody = z.object({ text: z.string().trim().min(1).max(1000) });
export type MemoryPatchBody = z.infer<typeof MemoryPatchBody>;
