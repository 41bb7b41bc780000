import { Alert, Badge, Button, Center, Group, Loader, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconFileImport, IconUserPlus } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import type { CustomerListOrder, CustomerRecord, CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import type { RecordPurpose } from '../../../../main/features/customers/needToKnow.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { notifyFailure } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { useActiveSession } from '../session/sessionContext';
import { CustomerRecordView } from './CustomerRecordView';
import { CustomerSearch, SEARCH_BY_LABELS, type SearchResult } from './CustomerSearch';
import { CustomerTable } from './CustomerTable';
import classes from './CustomersPage.module.css';
import { ImportPanel } from './ImportPanel';
import { NewCustomerModal } from './NewCustomerModal';
import { PurposeModal } from './PurposeModal';
import { useCustomerPages } from './useCustomerPages';
import { STATUS_LABELS } from './labels';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../../../../main/features/customers/customerFields.std';

type View = { kind: 'list' } | { kind: 'record'; row: CustomerRow; record: CustomerRecord } | { kind: 'import' };

/** Clicking "Customers" in the navigation again starts afresh (closes an open record). */
export function CustomersPage() {
  const { key } = useLocation();
  return <CustomersWorkspace key={key} />;
}

function CustomersWorkspace() {
  const { role } = useActiveSession();
  const canCreate = roleHolds(role, 'customers.write');
  const canImport = roleHolds(role, 'customers.import');
  const [view, setView] = useState<View>({ kind: 'list' });
  const [search, setSearch] = useState<SearchResult | null>(null);
  const [choosingPurpose, setChoosingPurpose] = useState<CustomerRow | null>(null);
  const [creating, setCreating] = useState(false);
  const [statusFilter, setStatusFilter] = useState<CustomerStatus | 'all'>('all');
  const [order, setOrder] = useState<CustomerListOrder>('newest');
  const pages = useCustomerPages({ status: statusFilter === 'all' ? undefined : statusFilter, order });
  const sortable = useMemo(() => ({ value: order, onChange: setOrder }), [order]);

  const openRow = useCallback((row: CustomerRow) => setChoosingPurpose(row), []);
  const searchRowAt = useCallback((index: number) => search?.rows[index], [search]);
  const searchRows = search?.rows ?? [];

  if (view.kind === 'record') {
    const reopen = async (purpose: RecordPurpose): Promise<boolean> => {
      try {
        const record = await call('customers.open', { customerId: view.row.id, purpose });
        setView({ ...view, record });
        return true;
      } catch (error) {
        notifyFailure('Could not reload the record', error);
        return false;
      }
    };
    return (
      <CustomerRecordView
        record={view.record}
        row={view.row}
        onBack={() => {
          setView({ kind: 'list' });
          // The search box starts empty again, and its old results may be stale (a record corrected or closed
          // since): back to the fresh list rather than matches for a value no longer on screen.
          setSearch(null);
          pages.reload();
        }}
        onRecordChange={(record) => setView({ ...view, record })}
        reopen={reopen}
      />
    );
  }

  return (
    // The list view is a column exactly as tall as the window below the header, so the list fills what is left.
    <Stack gap="lg" className={view.kind === 'list' ? classes.fill : undefined}>
      <PageHeader
        title="Customers"
        description="Find a customer by an exact value, then open the record for a stated purpose. Lists show masked names only."
        actions={
          <>
            {canImport && view.kind === 'list' && (
              <Button variant="default" leftSection={<IconFileImport size={18} aria-hidden />} onClick={() => setView({ kind: 'import' })}>
                Import CSV
              </Button>
            )}
            {canCreate && (
              <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
                New customer
              </Button>
            )}
          </>
        }
      />
      {view.kind === 'import' ? (
        <ImportPanel onImported={pages.reload} onClose={() => setView({ kind: 'list' })} />
      ) : (
        <Paper withBorder radius="md" p="md" className={classes.grow}>
          <Stack gap="md" className={classes.grow}>
            <CustomerSearch active={search !== null} onResult={setSearch} onClear={() => setSearch(null)} />
            {search ? (
              <>
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    {search.rows.length === 0 ? 'No customer matches' : `${search.rows.length} match${search.rows.length === 1 ? '' : 'es'}`}
                  </Text>
                  <Badge variant="light" color="gray">
                    exact {SEARCH_BY_LABELS[search.by].toLowerCase()}
                  </Badge>
                  {search.truncated && (
                    <Text size="sm" c="orange">
                      Only the newest {search.rows.length} are shown — narrow the search.
                    </Text>
                  )}
                </Group>
                <CustomerTable
                  label="Search results"
                  count={searchRows.length}
                  rowAt={searchRowAt}
                  onOpen={openRow}
                  size="rows"
                  emptyText="Check the value: the search matches whole values only (case, spaces and accents do not matter)."
                />
              </>
            ) : (
              <>
                {pages.error && (
                  <Alert color="red" variant="light" role="alert">
                    {pages.error}
                  </Alert>
                )}
                {pages.total === null ? (
                  !pages.error && (
                    <Center p="xl">
                      <Loader aria-label="Loading customers" />
                    </Center>
                  )
                ) : (
                  <>
                    <Group justify="space-between" gap="sm">
                      <Text size="sm" c="dimmed">
                        {pages.total.toLocaleString()} {statusFilter === 'all' ? '' : `${STATUS_LABELS[statusFilter].toLowerCase()} `}customer{pages.total === 1 ? '' : 's'}, {order} first
                      </Text>
                      <SegmentedControl
                        size="xs"
                        aria-label="Show customers by status"
                        value={statusFilter}
                        onChange={(value) => setStatusFilter(value as CustomerStatus | 'all')}
                        data={[{ value: 'all', label: 'All' }, ...CUSTOMER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
                      />
                    </Group>
                    <CustomerTable
                      label="Customers"
                      count={pages.total}
                      rowAt={pages.rowAt}
                      onVisibleRange={pages.ensureRange}
                      onOpen={openRow}
                      size="fill"
                      order={sortable}
                      listKey={`${statusFilter}:${order}`}
                      emptyText={statusFilter === 'all' ? 'No customers yet.' : `No ${STATUS_LABELS[statusFilter].toLowerCase()} customers.`}
                    />
                  </>
                )}
              </>
            )}
          </Stack>
        </Paper>
      )}
      <NewCustomerModal opened={creating} onClose={() => setCreating(false)} onCreated={() => pages.reload()} />
      {choosingPurpose && (
        <PurposeModal
          row={choosingPurpose}
          onClose={() => setChoosingPurpose(null)}
          onOpened={(record) => {
            setView({ kind: 'record', row: choosingPurpose, record });
            setChoosingPurpose(null);
          }}
        />
      )}
    </Stack>
  );
}
