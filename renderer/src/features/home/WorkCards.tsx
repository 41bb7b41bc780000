import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { HomeSection, HomeTone, HomeWorkItem } from '../../../../main/features/home/home.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure } from '../../ui/notify';
import { useActiveSession } from '../session/sessionContext';
import { routesFor } from '../../app/consoleRoutes';
import classes from './HomePage.module.css';
import { HOME_PAGE_PATHS, useHomeWork } from './homeWork';

const SECTION_TITLES: Record<HomeSection, string> = {
  decide: 'Waiting for you',
  mine: 'Your requests still waiting',
  returned: 'Came back to you',
  system: 'Accounts, jobs and keys',
  audit: 'Audit log',
};
const SECTION_ORDER: readonly HomeSection[] = ['decide', 'returned', 'mine', 'system', 'audit'];

const TONE_COLORS: Record<HomeTone, string> = { action: 'blue', info: 'gray', ok: 'teal', warning: 'orange', danger: 'red' };
const TONE_WORDS: Partial<Record<HomeTone, string>> = { ok: 'fine', warning: 'needs a look', danger: 'problem' };

function WorkItem({ item, linkable }: { item: HomeWorkItem; linkable: boolean }) {
  const path = HOME_PAGE_PATHS[item.page];
  const zero = item.count === 0;
  const showsCount = item.id !== 'audit.lastVerified';
  // The state in words beside the colour, for what reports a state (accounts, jobs, the log), not for requests.
  const toneWord = item.section === 'system' || item.section === 'audit' ? (zero && item.tone === 'ok' ? null : TONE_WORDS[item.tone]) : null;
  const body = (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      {showsCount && (
        <Text className={classes.count} c={zero ? 'dimmed' : undefined} aria-hidden>
          {item.count.toLocaleString()}
        </Text>
      )}
      <div className={classes.itemText}>
        <Text size="sm" fw={600} component="span" className={classes.itemLabel}>
          {showsCount && <span className={classes.visuallyHidden}>{item.count.toLocaleString()} </span>}
          {item.label}
        </Text>
        {(item.detail || item.at) && (
          <Text size="xs" c="dimmed" component="span" display="block">
            {[item.detail, item.at && item.section !== 'returned' ? formatDateTime(item.at) : null].filter(Boolean).join(' · ')}
          </Text>
        )}
        {toneWord && (
          <Badge color={TONE_COLORS[item.tone]} variant="light" size="sm" mt={4}>
            {toneWord}
          </Badge>
        )}
      </div>
    </Group>
  );
  return (
    <li className={classes.item} data-tone={item.tone} data-testid={`work-${item.id}`}>
      {linkable ? (
        <Anchor component={Link} to={path} underline="never" className={classes.itemLink}>
          {body}
        </Anchor>
      ) : (
        <div className={classes.itemLink}>{body}</div>
      )}
    </li>
  );
}

function SectionCard({ section, items, paths }: { section: HomeSection; items: HomeWorkItem[]; paths: ReadonlySet<string> }) {
  const { data, refresh } = useHomeWork();
  const id = `work-${section}-title`;
  const markSeen = () => {
    call('home.markSeen', {}).then(refresh, (error: unknown) => notifyFailure('Could not mark as seen', error));
  };
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby={id} className={classes.card}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={2} size="h4" id={id}>
          {SECTION_TITLES[section]}
        </Title>
        {section === 'returned' && items.length > 0 && (
          <Button size="compact-sm" variant="default" onClick={markSeen}>
            Mark as seen
          </Button>
        )}
      </Group>
      {section === 'returned' && (
        <Text size="xs" c="dimmed" mb="xs">
          {data?.seenAt ? `Decided since you last looked (${formatDateTime(data.seenAt)}).` : 'Decided requests you filed.'}
        </Text>
      )}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {section === 'returned' ? 'Nothing new since you last looked.' : 'Nothing waiting.'}
        </Text>
      ) : (
        <ul className={classes.items}>
          {items.map((item) => (
            <WorkItem key={item.id} item={item} linkable={paths.has(HOME_PAGE_PATHS[item.page])} />
          ))}
        </ul>
      )}
    </Paper>
  );
}

/** Home's work: one card per section the caller has items in, each item a count leading to its page. */
export function WorkCards() {
  const { role } = useActiveSession();
  const { data, error } = useHomeWork();
  const paths = new Set(routesFor(role).map((r) => r.path));
  if (error && !data) {
    return (
      <Text size="sm" c="red" role="alert">
        {error}
      </Text>
    );
  }
  if (!data) return <Text size="sm" c="dimmed">Loading what is waiting…</Text>;
  const staffLike = data.items.some((i) => i.section === 'mine' || i.section === 'returned' || i.id.startsWith('approvals.'));
  const sections = SECTION_ORDER.filter((s) => data.items.some((i) => i.section === s) || (s === 'returned' && staffLike));
  return (
    <Stack gap="md">
      <div className={classes.work} aria-live="polite" aria-busy={false}>
        {sections.map((section) => (
          <SectionCard key={section} section={section} items={data.items.filter((i) => i.section === section)} paths={paths} />
        ))}
      </div>
      <Text size="xs" c="dimmed">
        Counts as of {formatDateTime(data.generatedAt, { seconds: true })}; they refresh every minute and after what you do.
      </Text>
    </Stack>
  );
}
