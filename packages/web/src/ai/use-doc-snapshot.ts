import { useEffect, useRef, useState } from "react";
import type * as Y from "yjs";

/**
 * A value read from a Y.Doc that re-renders when the document changes — at most once per
 * animation frame, so a reply streaming token by token does not re-render per token.
 */
export function useDocSnapshot<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  const readRef = useRef(read);
  readRef.current = read;
  const [value, setValue] = useState(() => read(doc));
  useEffect(() => {
    let frame = 0;
    const refresh = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setValue(readRef.current(doc));
      });
    };
    setValue(readRef.current(doc));
    doc.on("update", refresh);
    return () => {
      doc.off("update", refresh);
      cancelAnimationFrame(frame);
    };
  }, [doc]);
  return value;
}
