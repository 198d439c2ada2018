import { useCallback, useState } from 'react';

/** Where a seek-paged list is (see {@link useSeekPages}). */
export interface SeekPages {
  /** The continuation token of the page shown; undefined for the first page. */
  seek: string | undefined;
  /** The shown page's number, from 1. */
  page: number;
  hasPrevious: boolean;
  /** Shows the page after this one (`token`: this page's `continuationToken`). */
  next(token: string): void;
  previous(): void;
  /** Back to the first page. */
  reset(): void;
}

/**
 * Paging over the API's seek-based collections: the API pages forward only (`seek=` the previous
 * page's `continuationToken`; README "Collections and paging"), so Previous re-reads the page
 * before from the continuation tokens already seen. `seek` is the token of the page shown
 * (undefined for the first), `page` its number from 1. A change of `resetKey` (the filter, the
 * status shown) starts again at the first page.
 */
export function useSeekPages(resetKey = ''): SeekPages {
  const [stack, setStack] = useState<string[]>([]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    setKey(resetKey);
    setStack([]);
  }
  const next = useCallback((token: string) => setStack((s) => [...s, token]), []);
  const previous = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  const reset = useCallback(() => setStack([]), []);
  return {
    seek: stack.at(-1),
    page: stack.length + 1,
    hasPrevious: stack.length > 0,
    next,
    previous,
    reset,
  };
}
