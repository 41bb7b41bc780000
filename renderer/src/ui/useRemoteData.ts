import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/ApiCallError';

export interface RemoteData<T> {
  data: T | null;
  error: string | null;
  /** Nothing has arrived yet: neither data nor a refusal. */
  loading: boolean;
  reload(): void;
}

/**
 * Loads with `load` (keep it stable with useCallback) whenever it changes; a stale answer never wins.
 * Earlier data stays on screen while a newer load is under way.
 */
export function useRemoteData<T>(load: () => Promise<T>): RemoteData<T> {
  const [result, setResult] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const latestRequest = useRef(0);

  const reload = useCallback(() => {
    const request = ++latestRequest.current;
    load().then(
      (data) => {
        if (request === latestRequest.current) setResult({ data, error: null });
      },
      (failure: unknown) => {
        if (request === latestRequest.current) setResult((current) => ({ ...current, error: errorMessage(failure) }));
      },
    );
  }, [load]);

  useEffect(reload, [reload]);

  return { ...result, loading: result.data === null && result.error === null, reload };
}
