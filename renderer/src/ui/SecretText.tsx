import { Button, Code, CopyButton, Stack, Text, Textarea } from '@mantine/core';

/** A passphrase the console generated: shown once, in the confirmation that follows its making. */
export function ShownOncePassphrase({ passphrase, testId }: { passphrase: string; testId: string }) {
  return (
    <Text size="sm" mt="xs">
      Passphrase (shown only now): <Code fz="md" data-testid={testId}>{passphrase}</Code>
    </Text>
  );
}

/** An encrypted text to carry elsewhere (enrolment package, recovery kit or share): read-only, with a copy button. */
export function CopyableSecretText(props: { label: string; description?: string; value: string; copyLabel: string; minRows: number; maxRows: number; compact?: boolean }) {
  return (
    <Stack gap={4}>
      <Textarea label={props.label} description={props.description} readOnly autosize minRows={props.minRows} maxRows={props.maxRows} value={props.value} styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} />
      <CopyButton value={props.value}>
        {({ copied, copy }) => (
          <Button variant="default" size={props.compact ? 'xs' : 'sm'} onClick={copy} w="fit-content">
            {copied ? 'Copied' : props.copyLabel}
          </Button>
        )}
      </CopyButton>
    </Stack>
  );
}
