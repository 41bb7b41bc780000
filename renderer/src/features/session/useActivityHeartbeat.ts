import { useEffect } from 'react';
import { call } from '../../api/client';

/** Main's idle lock only sees calls; input in the window counts too, reported at most this often. */
const REPORT_INTERVAL_MS = 30_000;

/** Someone reading a long record by scrolling with the wheel or tapping a touch screen is active too. */
const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'wheel', 'pointerdown'] as const;

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
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, report, { passive: true });
    return () => {
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, report);
    };
  }, [enabled]);
}
