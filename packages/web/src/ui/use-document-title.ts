import { useEffect } from "react";

const appName = "Cocanvas";

/** Names the browser tab after what the page shows ("Harbour Lights — Cocanvas"); just "Cocanvas" while it is unknown. */
export function useDocumentTitle(subject: string | null | undefined): void {
  useEffect(() => {
    document.title = subject ? `${subject} — ${appName}` : appName;
    return () => {
      document.title = appName;
    };
  }, [subject]);
}
