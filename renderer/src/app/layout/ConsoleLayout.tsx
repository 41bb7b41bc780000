import { Badge, Group, NavLink, Text, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { IconClockShield, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useActiveSession } from '../../features/session/sessionContext';
import type { ConsoleRoute } from '../consoleRoutes';
import classes from './ConsoleLayout.module.css';
import { UserMenu } from './UserMenu';
import { HomeWorkProvider, pendingCount, useHomeWork } from '../../features/home/homeWork';
import { ReportModal } from '../../features/tasks/ReportModal';
import { TaskIndicator } from '../../features/tasks/TaskIndicator';
import { tasksBelongTo } from '../../features/tasks/taskStore';
import { setDisplayLocale } from '../../ui/format';

export function ConsoleLayout({ routes }: { routes: readonly ConsoleRoute[] }) {
  const session = useActiveSession();
  tasksBelongTo(session.userId);
  setDisplayLocale(session.locale);
  return (
    <HomeWorkProvider>
      <Shell routes={routes} />
    </HomeWorkProvider>
  );
}

/** A navigation item's badge: the pending count of what Home lists for that page (same data). */
function NavBadge({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <>
      <Badge size="sm" variant="filled" circle={count < 10} aria-hidden>
        {count}
      </Badge>
      <VisuallyHidden>{` (${count} waiting)`}</VisuallyHidden>
    </>
  );
}

function Shell({ routes }: { routes: readonly ConsoleRoute[] }) {
  const { pathname } = useLocation();
  const session = useActiveSession();
  const main = useRef<HTMLElement>(null);
  const start = useRef<HTMLSpanElement>(null);
  const { data, refresh } = useHomeWork();
  // Entering the console (sign-in, unlock) puts the focus at the very start, so the first Tab reaches the skip
  // link whatever controls Home now holds; a screen reader announces who is signed in.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) start.current?.focus();
  }, []);
  const items = data?.items ?? [];
  // Coming back to a page (or Home) shows fresh counts.
  useEffect(() => refresh(), [pathname, refresh]);
  return (
    <div className={classes.shell}>
      <span ref={start} tabIndex={-1} className={classes.focusStart}>
        iTechno Privacy Console, signed in as {session.displayName}
      </span>
      {/* The first stop for the Tab key. A button-like link: a "#main" href would change the hash route. */}
      <a
        href="#main-content"
        className={classes.skipLink}
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <header className={classes.header}>
        <Group gap="sm">
          <ThemeIcon size="lg" radius="md">
            <IconShieldCheck size={22} stroke={1.6} aria-hidden />
          </ThemeIcon>
          <Text fw={700} size="lg">
            iTechno Privacy Console
          </Text>
        </Group>
        <Group gap="lg" wrap="nowrap">
          <TaskIndicator />
          <UserMenu />
        </Group>
      </header>
      <ReportModal />
      <div className={classes.navbarArea}>
        <nav className={classes.navbar} aria-label="Main navigation">
          {routes.map(({ path, label, icon: Icon }) => (
            <NavLink
              key={path}
              component={Link}
              to={path}
              label={label}
              active={pathname === path}
              rightSection={<NavBadge count={pendingCount(items, path)} />}
              leftSection={<Icon size={20} stroke={1.6} aria-hidden />}
              variant="light"
            />
          ))}
          <div className={classes.navbarFooter}>
            <Group gap={6} wrap="nowrap">
              <IconClockShield size={16} stroke={1.6} aria-hidden />
              <Text size="xs" c="dimmed">
                Locks after {session.idleLockMinutes} min idle
              </Text>
            </Group>
          </div>
        </nav>
      </div>
      <main className={classes.main} id="main-content" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </div>
  );
}
