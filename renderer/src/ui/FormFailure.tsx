import { Alert } from '@mantine/core';

/** Main's refusal message for a form, announced to screen readers. */
export function FormFailure({ message, title }: { message: string | null; title?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert" title={title}>
      {message}
    </Alert>
  );
}
