import * as Y from "yjs";

/**
 * Loads a Y.Doc from an encoded state (`Y.encodeStateAsUpdate`), for reading a stored
 * version. An empty array gives an empty document.
 *
 * @throws when the bytes are not a Yjs update.
 */
export function docFromState(state: Uint8Array): Y.Doc {
  const ydoc = new Y.Doc();
  if (state.length > 0) Y.applyUpdate(ydoc, state);
  return ydoc;
}
