import { Paper, Typography } from '@mantine/core';
import { useMemo } from 'react';
import { renderPolicyPreview } from './markdown';

/**
 * The policy as customers will read it, in a scrolling box that keyboard users can focus and scroll. Safe to
 * inject: markdown-it runs with raw HTML off (see markdown.ts).
 */
export function MarkdownPreview({ source, label, maxHeight }: { source: string; label: string; maxHeight: number }) {
  const html = useMemo(() => renderPolicyPreview(source), [source]);
  return (
    <Paper withBorder p="sm" radius="sm" mah={maxHeight} style={{ overflowY: 'auto' }} tabIndex={0} role="region" aria-label={label}>
      <Typography>
        <div dangerouslySetInnerHTML={{ __html: html }} />
      </Typography>
    </Paper>
  );
}
