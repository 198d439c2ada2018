import { isApiErrorBody } from '../api/api-error';
import { PortalApiError } from '../api/portal-session';
import { useCallback, useEffect, useState } from 'react';

/** What {@link useApiData} gives: the data once loaded, the error of the last load, a reload. */
export interface ApiData<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * Loads `load()` (an API call through `useApi()`) when the page opens and on `reload()`; a load
 * that throws (the API's error body, or a network failure) leaves `error` for
 * `apiErrorMessage`. A load started earlier never overwrites a later one's answer.
 */
export function useApiData<T>(load: () => Promise<T>): ApiData<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load()
      .then((loaded) => {
        if (!current) return;
        setData(loaded);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (current) setError(failure);
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [load, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

/**
 * The data of a typed client's answer (`{ data, error, response }`), or its failure thrown as a
 * `PortalApiError` (the API's error body with the HTTP status) for `apiErrorMessage`.
 */
export function dataOf<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.error === undefined && answer.data !== undefined) return answer.data;
  const body = answer.error;
  if (isApiErrorBody(body)) {
    throw new PortalApiError(answer.response.status, body.code, body.description, body.data ?? []);
  }
  throw new Error(`HTTP ${answer.response.status}`);
}
