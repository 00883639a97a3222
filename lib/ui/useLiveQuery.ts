import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/**
 * Subscribes to a Dexie liveQuery for the life of the component: it re-runs when a committed
 * write (in this page, the background or another tab) touches what it read.
 */
export function useLiveQuery<T>(querier: () => Promise<T>, deps: unknown[]): { value: T | undefined; error: Error | null } {
  const [state, setState] = useState<{ value: T | undefined; error: Error | null }>({ value: undefined, error: null });
  useEffect(() => {
    const subscription = liveQuery(querier).subscribe({
      next: (value) => setState({ value, error: null }),
      error: (error: Error) => setState((previous) => ({ value: previous.value, error })),
    });
    return () => subscription.unsubscribe();
  }, deps);
  return state;
}
