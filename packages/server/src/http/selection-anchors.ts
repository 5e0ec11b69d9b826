import { ApiError } from "@cocanvas/protocol";
import * as Y from "yjs";

/** A range of a canvas as the browser sends it: base64 Yjs relative positions (and the code file). */
export interface DecodedSelection {
  path?: string;
  from: Uint8Array;
  to: Uint8Array;
}

/** One base64 Yjs relative position from a request; 400 when it is not one. */
function anchorFrom(value: string, field: string): Uint8Array {
  const bytes = Uint8Array.from(Buffer.from(value, "base64"));
  try {
    if (bytes.length === 0) throw new Error("empty");
    Y.decodeRelativePosition(bytes);
  } catch {
    throw new ApiError("invalid_request", `Invalid request body: selection.${field} is not a Yjs relative position (base64).`);
  }
  return bytes;
}

/** Decodes and checks a request's selection (AI runs, comments) before anything uses it. */
export function decodeSelection(selection: { path?: string; from: string; to: string }): DecodedSelection {
  return { ...(selection.path ? { path: selection.path } : {}), from: anchorFrom(selection.from, "from"), to: anchorFrom(selection.to, "to") };
}
