import { useCallback, useRef, useState } from 'react';

interface PendingPrompt {
  promise: Promise<boolean>;
  resolve: (confirmed: boolean) => void;
}

/** One password prompt at a time: calls refused together for re-authentication all wait on the same answer. */
export function useReauthPrompt() {
  const pending = useRef<PendingPrompt | null>(null);
  const [opened, setOpened] = useState(false);

  const request = useCallback((): Promise<boolean> => {
    if (!pending.current) {
      let resolve: (confirmed: boolean) => void = () => undefined;
      const promise = new Promise<boolean>((settle) => {
        resolve = settle;
      });
      pending.current = { promise, resolve };
      setOpened(true);
    }
    return pending.current.promise;
  }, []);

  const settle = useCallback((confirmed: boolean) => {
    pending.current?.resolve(confirmed);
    pending.current = null;
    setOpened(false);
  }, []);

  return { opened, request, settle };
}
