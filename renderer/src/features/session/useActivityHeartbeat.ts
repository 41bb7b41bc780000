import { useEffect } from 'react';
import { call } from '../../api/client';

/** Main's idle lock only sees calls; input in the window counts too, reported at most this often. */
const REPORT_INTERVAL_MS = 30_000;

export function useActivityHeartbeat(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    // Entering the session was itself a call, so the first report can wait a full interval.
    let lastReport = Date.now();
    const report = () => {
      const now = Date.now();
      if (now - lastReport < REPORT_INTERVAL_MS) return;
      lastReport = now;
      // A refusal (locked, signed out) reaches the session handlers; nothing more to do here.
      call('session.activity', {}).catch(() => undefined);
    };
    window.addEventListener('mousemove', report, { passive: true });
    window.addEventListener('keydown', report, { passive: true });
    return () => {
      window.removeEventListener('mousemove', report);
      window.removeEventListener('keydown', report);
    };
  }, [enabled]);
}
