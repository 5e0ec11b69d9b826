import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "../app/api-client.ts";

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): Promise<void>;
}

/**
 * Loads something once per `key` and keeps it; `reload` fetches again. Answers that
 * arrive after the key changed are dropped.
 */
export function useResource<T>(key: string | null, load: () => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;

  const reload = useCallback(async () => {
    const requested = keyRef.current;
    if (requested === null) return;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (keyRef.current !== requested) return;
      setData(value);
      setError(null);
    } catch (caught) {
      if (keyRef.current !== requested) return;
      setError(errorMessage(caught));
    } finally {
      if (keyRef.current === requested) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    setError(null);
    void reload();
  }, [key, reload]);

  return { data, error, loading, reload };
}

/**
 * Wraps an action so the caller gets a `run` that records failures as a message
 * instead of throwing; `busy` is true while one runs.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(errorMessage(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, error, busy, clearError: () => setError(null) };
}
