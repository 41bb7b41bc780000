import { useCallback, useState } from 'react';
import { errorMessage } from '../api/ApiCallError';

/** Busy flag and the refusal to show for one form; `run` resolves true when the action succeeded. */
export function useSubmission() {
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    setSubmitting(true);
    setFailure(null);
    try {
      await action();
      return true;
    } catch (error) {
      setFailure(errorMessage(error));
      return false;
    } finally {
      setSubmitting(false);
    }
  }, []);

  const reset = useCallback(() => setFailure(null), []);

  return { submitting, failure, run, reset };
}
