import { Alert, Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { RemoteData } from './useRemoteData';

interface RemoteStatusProps {
  remote: RemoteData<unknown>;
  /** Names what is loading, for screen readers ("Loading legal holds"). */
  loadingLabel: string;
  /** True once loaded with nothing to show. */
  isEmpty: boolean;
  /** What an empty list means here, in words. */
  empty: ReactNode;
}

/** What a list panel shows besides its rows: the load error, a spinner on first load, and what "empty" means. */
export function RemoteStatus({ remote, loadingLabel, isEmpty, empty }: RemoteStatusProps) {
  return (
    <>
      {remote.error && (
        <Alert color="red" variant="light" m="sm" role="alert">
          {remote.error}
        </Alert>
      )}
      {!remote.data && remote.loading && (
        <Center p="xl">
          <Loader aria-label={loadingLabel} />
        </Center>
      )}
      {remote.data !== null && isEmpty && (
        <Text c="dimmed" size="sm" p="lg" ta="center">
          {empty}
        </Text>
      )}
    </>
  );
}
