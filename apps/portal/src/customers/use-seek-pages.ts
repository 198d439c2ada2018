import { useCallback, useState } from 'react';

/**
 * Paging over the API's seek-based collections: the API pages forward only (`seek=` the previous
 * page's `continuationToken`; README "Collections and paging"), so Previous re-reads the page
 * before from the continuation tokens already seen. `seek` is the token of the page shown
 * (undefined for the first), `page` its number from 1.
 */
export function useSeekPages() {
  const [stack, setStack] = useState<string[]>([]);
  const next = useCallback((token: string) => setStack((s) => [...s, token]), []);
  const previous = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  const reset = useCallback(() => setStack([]), []);
  return {
    seek: stack.length > 0 ? stack[stack.length - 1] : undefined,
    page: stack.length + 1,
    hasPrevious: stack.length > 0,
    next,
    previous,
    reset,
  };
}
