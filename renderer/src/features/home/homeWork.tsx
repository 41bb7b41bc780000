import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ChannelOutput } from '../../../../main/api.std';
import type { HomePage, HomeWorkItem } from '../../../../main/features/home/home.contract.std';
import { errorMessage } from '../../api/ApiCallError';
import { callPassive, onCallSucceeded } from '../../api/client';

/** Where each page Home names lives in the console (a page the role has no route to is shown without a link). */
export const HOME_PAGE_PATHS: Record<HomePage, string> = {
  'break-glass': '/break-glass',
  deletions: '/deletions',
  retention: '/retention',
  policy: '/policy',
  disclosures: '/disclosures',
  accounts: '/accounts',
  requests: '/requests',
  audit: '/audit',
  settings: '/settings',
  tasks: '/tasks',
  announcements: '/announcements',
  keys: '/keys',
  backups: '/backups',
};

/** Counts refresh this often, and a moment after each of the person's own successful calls. */
export const HOME_REFRESH_MS = 60_000;
const AFTER_ACTION_MS = 800;
/** Calls that are themselves refreshes, or pings: they never trigger one. */
const QUIET_CHANNELS = new Set<string>(['home.work', 'tasks.list', 'session.activity', 'session.status']);

type HomeWork = ChannelOutput<'home.work'>;

interface HomeWorkState {
  data: HomeWork | null;
  error: string | null;
  refresh(): void;
}

const HomeWorkContext = createContext<HomeWorkState | null>(null);

/** Whether an item is work waiting (counted in the navigation badge): to decide, come back, or a warning. */
export function isPending(item: HomeWorkItem): boolean {
  return item.count > 0 && (item.section === 'decide' || item.section === 'returned' || item.tone === 'warning' || item.tone === 'danger') && item.tone !== 'info';
}

/** The navigation badge of a path: the pending counts of every item leading there. */
export function pendingCount(items: readonly HomeWorkItem[], path: string): number {
  return items.filter((i) => HOME_PAGE_PATHS[i.page] === path && isPending(i)).reduce((sum, i) => sum + (i.id === 'audit.lastVerified' ? 1 : i.count), 0);
}

/** One poll of `home.work` for the whole shell: Home's cards and the navigation badges read the same answer. */
export function HomeWorkProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ data: HomeWork | null; error: string | null }>({ data: null, error: null });
  const latest = useRef(0);
  const refresh = useCallback(() => {
    const request = ++latest.current;
    callPassive('home.work', {}).then(
      (data) => void (request === latest.current && setState({ data, error: null })),
      (failure: unknown) => void (request === latest.current && setState((current) => ({ ...current, error: errorMessage(failure) }))),
    );
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, HOME_REFRESH_MS);
    let pending: ReturnType<typeof setTimeout> | null = null;
    const stop = onCallSucceeded((channel) => {
      if (QUIET_CHANNELS.has(channel)) return;
      if (pending) clearTimeout(pending);
      pending = setTimeout(refresh, AFTER_ACTION_MS);
    });
    return () => {
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      stop();
    };
  }, [refresh]);
  const value = useMemo(() => ({ ...state, refresh }), [state, refresh]);
  return <HomeWorkContext value={value}>{children}</HomeWorkContext>;
}

export function useHomeWork(): HomeWorkState {
  const state = use(HomeWorkContext);
  if (!state) throw new Error('useHomeWork must be used inside HomeWorkProvider');
  return state;
}
