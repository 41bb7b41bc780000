import { Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { REVIEW_STATUSES, type BreakGlassReview } from '../../../../main/features/breakglass/breakglass.contract.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ReasonModal } from '../../ui/ReasonModal';
import { useRemoteData } from '../../ui/useRemoteData';
import { useActiveSession } from '../session/sessionContext';
import { RemoteStatus } from '../../ui/RemoteStatus';
import { RecordId } from '../../ui/RecordId';

type Status = (typeof REVIEW_STATUSES)[number];
type Decision = 'justified' | 'escalated';

const STATUS_LABELS: Record<Status, string> = { pending: 'Pending', justified: 'Justified', escalated: 'Escalated' };
const STATUS_COLORS: Record<Status, string> = { pending: 'orange', justified: 'teal', escalated: 'red' };
const PAGE_SIZE = 200;

/** Managers review every break-glass opening of a customer record: justified, or escalated with a note. */
export function BreakGlassPage() {
  const { userId } = useActiveSession();
  const [status, setStatus] = useState<Status>('pending');
  const [reviewing, setReviewing] = useState<{ review: BreakGlassReview; decision: Decision } | null>(null);
  const load = useCallback(() => call('breakglass.list', { status, limit: PAGE_SIZE }), [status]);
  const reviews = useRemoteData(load);
  const list = reviews.data?.reviews ?? [];

  return (
    <Stack gap="lg">
      <PageHeader
        title="Break-glass reviews"
        description="Customer records opened outside the listed purposes. Review each one: was it justified, or does it need escalating?"
        actions={
          <Button variant="default" leftSection={<IconRefresh size={18} aria-hidden />} onClick={reviews.reload}>
            Refresh
          </Button>
        }
      />
      <SegmentedControl
        value={status}
        onChange={(value) => setStatus(value as Status)}
        data={REVIEW_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
        aria-label="Show reviews that are"
        w={360}
      />
      <Paper withBorder radius="md" p="xs">
        <RemoteStatus remote={reviews} loadingLabel="Loading reviews" isEmpty={list.length === 0} empty={status === 'pending' ? 'Nothing to review. Every break-glass access has been reviewed.' : `No ${STATUS_LABELS[status].toLowerCase()} reviews.`} />
        {list.length > 0 && (
          <Table.ScrollContainer minWidth={880}>
            <Table verticalSpacing="sm" highlightOnHover aria-label="Break-glass reviews">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Opened</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Justification</Table.Th>
                  <Table.Th>{status === 'pending' ? 'Decision' : 'Review'}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((review) => {
                  const own = review.openedBy === userId;
                  return (
                    <Table.Tr key={review.id}>
                      <Table.Td valign="top">
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(review.openedAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td valign="top">
                        <Text size="sm">{review.openedByName ?? 'Removed account'}</Text>
                      </Table.Td>
                      <Table.Td valign="top">
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {review.customerDisplayName ?? 'Unknown record'}
                        </Text>
                        <RecordId id={review.customerId} />
                      </Table.Td>
                      <Table.Td valign="top" maw={420}>
                        <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                          {review.justification}
                        </Text>
                      </Table.Td>
                      <Table.Td valign="top">
                        {review.status === 'pending' ? (
                          <Tooltip label="Another manager must review your own break-glass access" disabled={!own}>
                            <Group gap="xs" wrap="nowrap">
                              <Button
                                size="compact-sm"
                                color="teal"
                                variant="light"
                                disabled={own}
                                onClick={() => setReviewing({ review, decision: 'justified' })}
                              >
                                Mark justified
                              </Button>
                              <Button
                                size="compact-sm"
                                color="red"
                                variant="light"
                                disabled={own}
                                onClick={() => setReviewing({ review, decision: 'escalated' })}
                              >
                                Escalate
                              </Button>
                            </Group>
                          </Tooltip>
                        ) : (
                          <Stack gap={2}>
                            <Badge color={STATUS_COLORS[review.status]} variant="light">
                              {STATUS_LABELS[review.status]}
                            </Badge>
                            <Text size="xs" c="dimmed">
                              {review.reviewerName ?? 'Removed account'} · {formatDateTime(review.reviewedAt)}
                            </Text>
                            {review.reviewNote && (
                              <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
                                {review.reviewNote}
                              </Text>
                            )}
                          </Stack>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {reviews.data && reviews.data.total > list.length && (
          <Text size="sm" c="dimmed" p="sm">
            Showing the oldest {list.length} of {reviews.data.total}. Review these first; the rest follow.
          </Text>
        )}
      </Paper>
      {reviewing && (
        <ReviewModal
          review={reviewing.review}
          decision={reviewing.decision}
          onClose={() => setReviewing(null)}
          onDone={() => {
            setReviewing(null);
            reviews.reload();
          }}
        />
      )}
    </Stack>
  );
}

interface ReviewModalProps {
  review: BreakGlassReview;
  decision: Decision;
  onClose(): void;
  onDone(): void;
}

function ReviewModal({ review, decision, onClose, onDone }: ReviewModalProps) {
  const escalate = decision === 'escalated';
  return (
    <ReasonModal
      title={escalate ? 'Escalate break-glass access' : 'Mark break-glass access justified'}
      formLabel="Break-glass review"
      summary={
        <>
          <Text size="sm">
            Record of <b>{review.customerDisplayName ?? 'an unknown customer'}</b>, opened by <b>{review.openedByName ?? 'a removed account'}</b> on{' '}
            {formatDateTime(review.openedAt)}.
          </Text>
          <Paper withBorder p="sm" bg="var(--itpc-color-surface)">
            <Text size="xs" c="dimmed" mb={4}>
              Their justification
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
              {review.justification}
            </Text>
          </Paper>
        </>
      }
      reasonLabel="Review note"
      reasonDescription={escalate ? 'What should happen next, and why' : 'Why the access was justified'}
      maxLength={2000}
      emptyMessage={escalate ? 'Say what needs escalating and why' : 'Add a short note for the record'}
      failureTitle="Review not saved"
      actions={[
        escalate
          ? { decision, label: 'Escalate', color: 'red', icon: <IconAlertTriangle size={16} aria-hidden /> }
          : { decision, label: 'Mark justified', color: 'teal', icon: <IconCircleCheck size={16} aria-hidden /> },
      ]}
      onSubmit={async (_decision, note) => {
        await call('breakglass.review', { reviewId: review.id, decision, note });
        notifySuccess(escalate ? 'Break-glass access escalated.' : 'Break-glass access marked justified.');
        onDone();
      }}
      onClose={onClose}
    />
  );
}
