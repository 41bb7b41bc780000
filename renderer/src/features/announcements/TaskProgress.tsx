import { Progress, Text } from '@mantine/core';

/** A job's progress bar with its numbers in words (announced politely, not on every tick). */
export function TaskProgress({ label, progress }: { label: string; progress: { done: number; total: number } | null }) {
  const total = Math.max(progress?.total ?? 0, 1);
  const done = progress?.done ?? 0;
  return (
    <div>
      <Progress value={(done / total) * 100} aria-label={label} animated size="lg" />
      <Text size="xs" c="dimmed" mt={4}>
        {progress ? `${done.toLocaleString()} of ${progress.total.toLocaleString()}` : 'Starting…'}
      </Text>
    </div>
  );
}
