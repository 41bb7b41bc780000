import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArchive, IconArrowLeft, IconEyeOff, IconRestore, IconShieldLock } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { CustomerRecord, CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import { RECORD_FIELDS, type RecordPurpose } from '../../../../main/features/customers/needToKnow.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { formatDateTime } from '../../ui/format';
import { QUARANTINE_REASON_LABELS } from '../minors/labels';
import { ReportMinorModal } from '../minors/ReportMinorModal';
import { OrdersSection } from '../orders/OrdersSection';
import { useActiveSession } from '../session/sessionContext';
import { CustomerDisclosuresCard } from '../disclosures/CustomerDisclosuresCard';
import { ConsentsCard } from './ConsentsCard';
import { RecordRecipientsCard } from '../subjectRequests/RecordRecipientsCard';
import { CorrectionHistory } from './CorrectionHistory';
import { CorrectionPanel } from './CorrectionPanel';
import classes from './CustomerRecordView.module.css';
import { addressLines } from './address';
import { Facts, type Fact } from './Facts';
import { KIND_LABELS, RECORD_FIELD_LABELS, STATUS_COLORS, STATUS_LABELS } from './labels';
import { PURPOSE_NAMES } from './purposes';
import { StatusChangeModal } from './StatusChangeModal';
import { RecordErasureCard } from '../erasure/RecordErasureCard';

interface CustomerRecordViewProps {
  record: CustomerRecord;
  row: CustomerRow;
  onBack(): void;
  onRecordChange(record: CustomerRecord): void;
  /** Opens the record again for this purpose (a new, audited opening) and shows the fresh answer. */
  reopen(purpose: RecordPurpose): Promise<boolean>;
}

function personalFacts(record: CustomerRecord): Fact[] {
  const facts: Fact[] = [];
  if (record.name) {
    facts.push({ label: 'Given name', value: record.name.givenName }, { label: 'Family name', value: record.name.familyName });
    if (record.name.organisationName) facts.push({ label: 'Organisation', value: record.name.organisationName });
  }
  if (record.dateOfBirth !== undefined) facts.push({ label: 'Date of birth', value: record.dateOfBirth ?? 'Not given' });
  if (record.email !== undefined) facts.push({ label: 'Email', value: record.email });
  if (record.phone !== undefined) facts.push({ label: 'Phone', value: record.phone ?? 'Not given' });
  const a = record.shippingAddress;
  if (a) {
    facts.push({ label: 'Shipping address', value: addressLines(a) });
  }
  return facts;
}

/**
 * One opened record. Main sent only what the purpose and role need; this shows what is present and says what
 * was withheld, so nobody mistakes a missing field for an empty one.
 */
export function CustomerRecordView({ record, row, onBack, onRecordChange, reopen }: CustomerRecordViewProps) {
  const { role } = useActiveSession();
  const [correctionVersion, setCorrectionVersion] = useState(0);
  // Opening a record moves the focus to its name, so a screen reader starts reading there.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [changingStatus, setChangingStatus] = useState(false);
  const [reportingMinor, setReportingMinor] = useState(false);
  const canReportMinor = roleHolds(role, 'customers.correct') && !record.quarantine;
  // Closing fits a deletion request or a customer saying they no longer use the service.
  const canChangeStatus = roleHolds(role, 'customers.write') && (record.purpose === 'deletion_request' || record.purpose === 'customer_support');
  const withheld = RECORD_FIELDS.filter((field) => !record.fields.includes(field)).map((field) => RECORD_FIELD_LABELS[field]);
  const title = record.name ? `${record.name.givenName} ${record.name.familyName}` : row.displayName;
  const facts = personalFacts(record);
  const correcting = record.purpose === 'correction' && roleHolds(role, 'customers.correct');

  const afterCorrection = async () => {
    await reopen('correction');
    setCorrectionVersion((version) => version + 1);
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={16} aria-hidden />} onClick={onBack} mb="xs">
            Back to customers
          </Button>
          <Title order={1} size="h2" ref={heading} tabIndex={-1}>
            {title}
          </Title>
          <Group gap="xs" mt={6}>
            <Badge color={STATUS_COLORS[record.status]} variant="dot">
              {STATUS_LABELS[record.status]}
            </Badge>
            <Badge color="gray" variant="light">
              {KIND_LABELS[record.kind]}
            </Badge>
            <Badge color={record.purpose === 'break_glass' ? 'orange' : 'indigo'} variant="light">
              Purpose: {PURPOSE_NAMES[record.purpose]}
            </Badge>
          </Group>
        </div>
        <Stack gap={2} align="flex-end" className={classes.meta}>
          <Text size="xs" c="dimmed">
            Created {formatDateTime(record.createdAt)}
          </Text>
          <Text size="xs" c="dimmed">
            Updated {formatDateTime(record.updatedAt)}
          </Text>
          <Text size="xs" c="dimmed">
            Policy version {record.policyVersion} · {record.orderCount} order{record.orderCount === 1 ? '' : 's'}
          </Text>
          {canChangeStatus && (
            <Button
              size="compact-sm"
              variant="light"
              color={record.status === 'active' ? 'red' : 'teal'}
              mt="xs"
              leftSection={record.status === 'active' ? <IconArchive size={14} aria-hidden /> : <IconRestore size={14} aria-hidden />}
              onClick={() => setChangingStatus(true)}
            >
              {record.status === 'active' ? 'Close record' : 'Reopen record'}
            </Button>
          )}
          {canReportMinor && (
            <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconShieldLock size={14} aria-hidden />} onClick={() => setReportingMinor(true)}>
              Report as a minor
            </Button>
          )}
        </Stack>
      </Group>

      {record.quarantine && (
        <Alert color="red" variant="light" icon={<IconShieldLock aria-hidden />} title="Set apart as a minor’s record">
          {QUARANTINE_REASON_LABELS[record.quarantine.reason]} on {formatDateTime(record.quarantine.since)}. This record is
          hidden from lists, mailings, disclosures and exports, and waits for a manager to confirm its deletion.
        </Alert>
      )}

      {record.breakGlassReviewId && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Break-glass access — flagged for manager review">
          This opening and your justification were queued for a manager to review. Look only at what you need.
        </Alert>
      )}

      {withheld.length > 0 && (
        <Alert color="gray" variant="light" role="status" icon={<IconEyeOff aria-hidden />} title="Shown for this purpose only">
          Not shown for {PURPOSE_NAMES[record.purpose].toLowerCase()}: {withheld.join(', ')}.
        </Alert>
      )}

      {facts.length > 0 && (
        <Paper withBorder radius="md" p="lg">
          <Title order={2} size="h4" mb="md">
            Personal details
          </Title>
          <Facts facts={facts} label="Personal details" />
        </Paper>
      )}

      {record.orders && (
        <OrdersSection
          record={record}
          orders={record.orders}
          onOrdersChange={(orders) => onRecordChange({ ...record, orders, orderCount: orders.length })}
          onOrderPlaced={async (order) => {
            // Shown as main returns it for this purpose (billing, expiry); the bare reply only if that fails.
            if (!(await reopen(record.purpose))) onRecordChange({ ...record, orders: [order, ...(record.orders ?? [])], orderCount: record.orderCount + 1 });
          }}
        />
      )}

      {record.consents && (
        <ConsentsCard
          customerId={record.id}
          consents={record.consents}
          history={record.consentHistory ?? []}
          canChange={roleHolds(role, 'customers.write')}
          onChanged={(consent, event) =>
            onRecordChange({
              ...record,
              consents: record.consents?.map((current) => (current.purpose === consent.purpose ? consent : current)),
              consentHistory: [...(record.consentHistory ?? []), event],
            })
          }
        />
      )}

      <RecordErasureCard customerId={record.id} customerLabel={row.displayName} />
      {roleHolds(role, 'disclosures.read') && <CustomerDisclosuresCard customerId={record.id} />}

      {changingStatus && (
        <StatusChangeModal
          customerId={record.id}
          next={record.status === 'active' ? 'closed' : 'active'}
          onClose={() => setChangingStatus(false)}
          onChanged={(status) => {
            setChangingStatus(false);
            onRecordChange({ ...record, status });
          }}
        />
      )}

      {reportingMinor && <ReportMinorModal customerId={record.id} onClose={() => setReportingMinor(false)} onReported={onBack} />}

      {correcting && (
        <>
          <CorrectionPanel key={record.updatedAt} record={record} onCorrected={() => void afterCorrection()} />
          <CorrectionHistory customerId={record.id} version={correctionVersion} />
          <RecordRecipientsCard customerId={record.id} />
        </>
      )}
    </Stack>
  );
}
