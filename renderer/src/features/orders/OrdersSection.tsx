import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconCreditCard, IconEye, IconLock, IconSend, IconShoppingCartPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import type { CustomerRecord } from '../../../../main/features/customers/customers.contract.std';
import type { OrderView } from '../../../../main/features/orders/orders.contract.std';
import { roleHolds } from '../../../../main/platform/ipc/roles.std';
import { call } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { notifyFailure, notifySuccess } from '../../ui/notify';
import { addressLines } from '../customers/address';
import { Facts } from '../customers/Facts';
import { useActiveSession } from '../session/sessionContext';
import { BRAND_LABELS, expiryText } from './cardDisplay';
import { OrderFormModal } from './OrderFormModal';
import { RevealCardModal } from './RevealCardModal';
import { RevealedCardNumber, type RevealedCard } from './RevealedCardNumber';

type OrderItem = OrderView['items'][number];

interface OrdersSectionProps {
  record: CustomerRecord;
  orders: readonly OrderView[];
  onOrdersChange(orders: OrderView[]): void;
  /** A new order was placed from this record. */
  onOrderPlaced(order: OrderView): Promise<void>;
}

/** The customer's orders as the record's purpose allows: masked cards always, billing and expiry where needed. */
export function OrdersSection({ record, orders, onOrdersChange, onOrderPlaced }: OrdersSectionProps) {
  const { role } = useActiveSession();
  const [ordering, setOrdering] = useState(false);
  const canOrder = record.purpose === 'order_processing' && roleHolds(role, 'orders.write');

  const replaceItem = (orderId: string, itemId: string, patch: Partial<OrderItem>) =>
    onOrdersChange(
      orders.map((order) =>
        order.id === orderId ? { ...order, items: order.items.map((item) => (item.id === itemId ? { ...item, ...patch } : item)) } : order,
      ),
    );

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="md">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4">
              Orders
            </Title>
            <Text size="sm" c="dimmed">
              {orders.length === 0 ? 'No orders yet.' : `${orders.length} order${orders.length === 1 ? '' : 's'}, newest first.`}
            </Text>
          </div>
          {canOrder && (
            <Button
              leftSection={<IconShoppingCartPlus size={18} aria-hidden />}
              onClick={() => setOrdering(true)}
              disabled={record.status !== 'active'}
            >
              New order
            </Button>
          )}
        </Group>
        {orders.map((order) => (
          <OrderCard key={order.id} order={order} onItemChange={(itemId, patch) => replaceItem(order.id, itemId, patch)} />
        ))}
      </Stack>
      {ordering && (
        <OrderFormModal
          record={record}
          onClose={() => setOrdering(false)}
          onCreated={async (order) => {
            await onOrderPlaced(order);
            setOrdering(false);
          }}
        />
      )}
    </Paper>
  );
}

function OrderCard({ order, onItemChange }: { order: OrderView; onItemChange(itemId: string, patch: Partial<OrderItem>): void }) {
  const { role } = useActiveSession();
  const canResend = roleHolds(role, 'orders.write');
  const [resending, setResending] = useState<string | null>(null);

  const resend = (item: OrderItem) => {
    setResending(item.id);
    call('orders.resendLicence', { orderId: order.id, itemId: item.id })
      .then(
        (result) => {
          onItemChange(item.id, { resendCount: result.resendCount, lastResentAt: result.resentAt });
          notifySuccess(`Licence key for ${item.name} re-sent to the customer.`);
        },
        (error: unknown) => notifyFailure('Licence key not re-sent', error),
      )
      .finally(() => setResending(null));
  };

  return (
    <Paper withBorder radius="md" p="md" bg="var(--itpc-color-surface)" component="section" aria-label={`Order of ${formatDateTime(order.createdAt)}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text fw={600}>Order placed {formatDateTime(order.createdAt)}</Text>
            <Text size="xs" c="dimmed">
              Order {order.id.slice(0, 8)} · policy {order.policyVersion}
            </Text>
          </div>
          <Badge variant="light" color="indigo">
            {order.status}
          </Badge>
        </Group>
        <CardLine order={order} />
        <Table verticalSpacing={6} fz="sm" bg="var(--mantine-color-body)" withTableBorder aria-label="Order lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>SKU</Table.Th>
              <Table.Th>Product</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th ta="right">Qty</Table.Th>
              <Table.Th>Licence key</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {order.items.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>
                  <Code>{item.sku}</Code>
                </Table.Td>
                <Table.Td>{item.name}</Table.Td>
                <Table.Td>{item.kind === 'licence' ? 'Licence' : 'Product'}</Table.Td>
                <Table.Td ta="right">{item.quantity}</Table.Td>
                <Table.Td>
                  {item.kind === 'licence' ? (
                    <Group gap="xs" wrap="nowrap">
                      <Code>{item.licenceKey ?? '—'}</Code>
                      {canResend && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          leftSection={<IconSend size={12} aria-hidden />}
                          loading={resending === item.id}
                          onClick={() => resend(item)}
                          aria-label={`Re-send licence key for ${item.name}`}
                        >
                          Re-send key
                        </Button>
                      )}
                      {item.resendCount > 0 && (
                        <Text size="xs" c="dimmed">
                          re-sent {item.resendCount}× · last {formatDateTime(item.lastResentAt)}
                        </Text>
                      )}
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {order.billing && (
          <Facts
            label="Billing"
            facts={[
              { label: 'Billing name', value: order.billing.name },
              {
                label: 'Billing address',
                value: addressLines(order.billing.address),
              },
            ]}
          />
        )}
      </Stack>
    </Paper>
  );
}

function CardLine({ order }: { order: OrderView }) {
  const { role } = useActiveSession();
  const canReveal = roleHolds(role, 'cards.reveal');
  const [asking, setAsking] = useState(false);
  const [revealed, setRevealed] = useState<RevealedCard | null>(null);
  const hide = useCallback(() => setRevealed(null), []);
  const { card } = order;

  return (
    <Group gap="md" wrap="wrap" aria-label="Payment card" role="group">
      <IconCreditCard size={20} stroke={1.6} aria-hidden />
      <Text size="sm" fw={500}>
        {BRAND_LABELS[card.brand]}
      </Text>
      {revealed ? (
        <RevealedCardNumber card={revealed} onHide={hide} />
      ) : (
        <>
          <Code fz="sm" data-testid="masked-card">
            {card.masked}
          </Code>
          {card.expiryMonth !== undefined && card.expiryYear !== undefined && (
            <Text size="sm" c="dimmed">
              exp. {expiryText(card.expiryMonth, card.expiryYear)}
            </Text>
          )}
          {canReveal ? (
            <Button size="compact-sm" variant="light" color="orange" leftSection={<IconEye size={14} aria-hidden />} onClick={() => setAsking(true)}>
              Reveal full number
            </Button>
          ) : (
            <Tooltip label="Not permitted: only managers may reveal a full card number">
              <Group gap={6} wrap="nowrap">
                <Button size="compact-sm" variant="light" color="gray" disabled leftSection={<IconLock size={14} aria-hidden />}>
                  Reveal full number
                </Button>
                <Text size="xs" c="dimmed">
                  Not permitted for your role
                </Text>
              </Group>
            </Tooltip>
          )}
        </>
      )}
      {asking && (
        <RevealCardModal
          order={order}
          onClose={() => setAsking(false)}
          onRevealed={(next) => {
            setAsking(false);
            setRevealed(next);
          }}
        />
      )}
    </Group>
  );
}
