import { Code } from '@mantine/core';

/** A record's opaque id as tables show it: the first eight characters, the whole id on hover. */
export function RecordId({ id }: { id: string }) {
  return (
    <Code fz="xs" title={`Record id ${id}`}>
      {id.slice(0, 8)}
    </Code>
  );
}
