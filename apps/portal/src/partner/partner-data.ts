import type { ApiClient } from '@app/api-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiErrorBody } from '../api/api-error';
import { PortalApiError } from '../api/portal-session';
import { useApi } from '../api/session-context';

/** What openapi-fetch answers for one call. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The body of a successful call; otherwise throws the API's error (`PortalApiError`: status,
 * code, description, data; shown by `apiErrorMessage`), or an `Error` naming the status when the
 * answer carried no error body.
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    if (isApiErrorBody(error)) {
      const details = Array.isArray(error.data) ? error.data : [];
      throw new PortalApiError(response.status, error.code, error.description, details);
    }
    throw new Error(`HTTP ${response.status}`);
  }
  return data as T;
}

/** What {@link useLoad} gives: the loaded value, the error of the last load, and a reload. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Loads server state through the typed client when `key` changes (and on `reload()`); a load
 * that an earlier-started one would overwrite is dropped.
 */
export function useLoad<T>(load: (api: ApiClient) => Promise<T>, key: string): Loaded<T> {
  const api = useApi();
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
    loader
      .current(api)
      .then((value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (ticket === latest.current) setError(failure);
      })
      .finally(() => {
        if (ticket === latest.current) setLoading(false);
      });
  }, [api, key, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload };
}

/**
 * Forward paging over the API's keyset collections (`seek` = the previous page's
 * `continuationToken`); the tokens of the pages seen are kept so that "Previous" works too.
 */
export function usePager(resetKey: string) {
  const [stack, setStack] = useState<string[]>([]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    setKey(resetKey);
    setStack([]);
  }
  return {
    seek: stack.at(-1),
    page: stack.length + 1,
    next: (token: string) => setStack((s) => [...s, token]),
    previous: () => setStack((s) => s.slice(0, -1)),
    first: () => setStack([]),
  };
}

/** Dates and times in the viewer's language (`Intl`). */
export function useDateFormat(): (iso: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.resolvedLanguage ?? 'en', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return (iso) => (iso ? format.format(new Date(iso)) : '');
}

/** Country or region names in the viewer's language (`Intl.DisplayNames`), the code otherwise. */
export function useCountryName(): (code: string) => string {
  const { i18n } = useTranslation();
  const names = new Intl.DisplayNames([i18n.resolvedLanguage ?? 'en'], { type: 'region' });
  return (code) => {
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
}
