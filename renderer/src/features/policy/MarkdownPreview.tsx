import { Typography } from '@mantine/core';
import { useMemo } from 'react';
import { renderPolicyPreview } from './markdown';

/** The policy as customers will read it. Safe to inject: markdown-it runs with raw HTML off (see markdown.ts). */
export function MarkdownPreview({ source, label }: { source: string; label: string }) {
  const html = useMemo(() => renderPolicyPreview(source), [source]);
  return (
    <Typography>
      <div role="region" aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
