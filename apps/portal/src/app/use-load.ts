import { useCallback, useEffect, useRef, useState } from 'react';

/** State of a read: its data once loaded, the error it failed with, and a way to read again. */
export interface Loaded<T> {
  /** The last answer (kept while a reload runs). */
  data: T | undefined;
  /** What the last load threw (the API's error, a network failure), for `ApiErrorBar`. */
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` (API calls through `useApi()`, answers unwrapped with `ok`) when the page opens,
 * whenever `key` changes (a string naming everything `load` reads: the customer id, the page's
 * continuation token, the filter) and on `reload()`. Only the latest load's answer is kept: one
 * started earlier never overwrites it.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    setError(undefined);
    loader
      .current()
      .then((value) => {
        if (ticket === latest.current) setData(value);
      })
      .catch((failure: unknown) => {
        if (ticket === latest.current) setError(failure);
      })
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
  }, [key, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload };
}
