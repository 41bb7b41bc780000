import { ActionIcon, Alert, Button, Divider, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck, IconPlus, IconShieldCheck, IconTrash } from '@tabler/icons-react';
import type { ChannelInput } from '../../../../main/api.std';
import type { CustomerRecord } from '../../../../main/features/customers/customers.contract.std';
import { cardBrand, cardDigits, cardExpiryProblem, luhnValid } from '../../../../main/features/orders/card.std';
import { LINE_ITEM_KINDS, ordersChannels, type OrderView } from '../../../../main/features/orders/orders.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { optional, schemaErrors } from '../customers/formErrors';
import { BRAND_LABELS } from './cardDisplay';
import modalClasses from '../../ui/Modal.module.css';

type Kind = (typeof LINE_ITEM_KINDS)[number];

interface LineValues {
  key: string;
  sku: string;
  name: string;
  kind: Kind;
  quantity: number | string;
}

interface OrderValues {
  items: LineValues[];
  billing: { name: string; address: { street: string; city: string; region: string; postalCode: string; country: string } };
  card: { number: string; expiryMonth: string | null; expiryYear: string | null };
}

const KIND_OPTIONS = [
  { value: 'product', label: 'Product' },
  { value: 'licence', label: 'Licence' },
];
const MONTHS = Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: String(i + 1).padStart(2, '0') }));

function newLine(): LineValues {
  return { key: crypto.randomUUID(), sku: '', name: '', kind: 'product', quantity: 1 };
}

function toPayload(customerId: string, values: OrderValues): ChannelInput<'orders.create'> {
  const a = values.billing.address;
  return {
    customerId,
    items: values.items.map(({ sku, name, kind, quantity }) => ({ sku, name, kind, quantity: Number(quantity) })),
    billing: { name: values.billing.name, address: { street: a.street, city: a.city, region: optional(a.region), postalCode: a.postalCode, country: a.country } },
    card: { number: values.card.number, expiryMonth: Number(values.card.expiryMonth), expiryYear: Number(values.card.expiryYear) },
  };
}

/** The contract's own rules (Luhn included) plus the expiry check that needs today's date; main checks both again. */
function validate(customerId: string, values: OrderValues): Record<string, string> {
  const errors = schemaErrors(ordersChannels['orders.create'].input, toPayload(customerId, values));
  delete errors['card.expiryMonth'];
  delete errors['card.expiryYear'];
  const { expiryMonth, expiryYear } = values.card;
  if (!expiryMonth) errors['card.expiryMonth'] = 'Choose the month';
  if (!expiryYear) errors['card.expiryYear'] = 'Choose the year';
  if (expiryMonth && expiryYear) {
    const problem = cardExpiryProblem(Number(expiryMonth), Number(expiryYear), Date.now());
    if (problem) errors['card.expiryMonth'] = problem;
  }
  return errors;
}

/** Instant feedback while typing: brand, and whether the check digit works out. */
function cardHint(number: string): { text: string; ok: boolean } | null {
  const digits = cardDigits(number.trim());
  if (!/^\d+$/.test(digits) || digits.length < 12) return null;
  if (!luhnValid(digits)) return { text: 'Check digit does not match — look for a typing error', ok: false };
  return { text: `${BRAND_LABELS[cardBrand(digits)]} · check digit OK`, ok: true };
}

interface OrderFormModalProps {
  record: CustomerRecord;
  onClose(): void;
  onCreated(order: OrderView): Promise<void>;
}

/** The order form of the privacy policy: what is ordered, billing name and address, card number and expiry. */
export function OrderFormModal({ record, onClose, onCreated }: OrderFormModalProps) {
  const { submitting, failure, run } = useSubmission();
  const a = record.shippingAddress;
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 21 }, (_, i) => String(thisYear + i));
  const form = useForm<OrderValues>({
    mode: 'controlled',
    initialValues: {
      items: [newLine()],
      billing: {
        name: record.name ? `${record.name.givenName} ${record.name.familyName}` : '',
        address: { street: a?.street ?? '', city: a?.city ?? '', region: a?.region ?? '', postalCode: a?.postalCode ?? '', country: a?.country ?? '' },
      },
      card: { number: '', expiryMonth: null, expiryYear: null },
    },
    validate: (values) => validate(record.id, values),
  });
  const hint = cardHint(form.values.card.number);

  const submit = form.onSubmit((values) =>
    run(async () => {
      const { order } = await call('orders.create', toPayload(record.id, values));
      notifySuccess('Order placed.');
      await onCreated(order);
    }),
  );

  const field = (path: string) => ({ key: form.key(path), ...form.getInputProps(path) });

  return (
    <Modal opened onClose={onClose} title="New order" size="xl" centered>
      <form onSubmit={submit} noValidate aria-label="Order form">
        <Stack gap="sm">
          <FormFailure message={failure} title="Order not placed" />
          <Divider label="Products and licences" labelPosition="left" />
          {form.values.items.map((line, index) => (
            <Group key={line.key} align="flex-start" wrap="nowrap" gap="xs" role="group" aria-label={`Line ${index + 1}`}>
              <TextInput label="SKU" withAsterisk w={150} autoComplete="off" {...field(`items.${index}.sku`)} />
              <TextInput label="Product" withAsterisk style={{ flex: 1 }} autoComplete="off" {...field(`items.${index}.name`)} />
              <Select label="Kind" data={KIND_OPTIONS} allowDeselect={false} w={120} {...field(`items.${index}.kind`)} />
              <NumberInput label="Quantity" min={1} max={1000} allowDecimal={false} w={100} {...field(`items.${index}.quantity`)} />
              <ActionIcon
                variant="subtle"
                color="gray"
                mt={28}
                disabled={form.values.items.length === 1}
                onClick={() => form.removeListItem('items', index)}
                aria-label={`Remove line ${index + 1}`}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => form.insertListItem('items', newLine())}
              disabled={form.values.items.length >= 50}
            >
              Add line
            </Button>
            {typeof form.errors.items === 'string' && (
              <Text size="sm" c="red">
                {form.errors.items}
              </Text>
            )}
          </Group>
          <Divider label="Billing" labelPosition="left" mt="xs" />
          <TextInput label="Billing name" withAsterisk autoComplete="off" {...field('billing.name')} />
          <TextInput label="Street" withAsterisk autoComplete="off" {...field('billing.address.street')} />
          <Group grow align="flex-start">
            <TextInput label="City" withAsterisk autoComplete="off" {...field('billing.address.city')} />
            <TextInput label="Region" placeholder="Optional" autoComplete="off" {...field('billing.address.region')} />
            <TextInput label="Postal code" withAsterisk autoComplete="off" {...field('billing.address.postalCode')} />
            <TextInput label="Country" withAsterisk maxLength={2} autoComplete="off" {...field('billing.address.country')} />
          </Group>
          <Divider label="Payment card" labelPosition="left" mt="xs" />
          <Group align="flex-start" wrap="nowrap">
            <TextInput
              label="Card number"
              withAsterisk
              inputMode="numeric"
              autoComplete="off"
              style={{ flex: 1 }}
              placeholder="Digits; spaces or dashes are fine"
              {...field('card.number')}
              error={form.errors['card.number'] ?? (hint && !hint.ok ? hint.text : undefined)}
            />
            <Select label="Expiry month" data={MONTHS} withAsterisk w={130} {...field('card.expiryMonth')} />
            <Select label="Expiry year" data={years} withAsterisk w={130} {...field('card.expiryYear')} />
          </Group>
          {hint?.ok && (
            <Group gap={6} mt={-6}>
              <IconCircleCheck size={16} color="var(--mantine-color-teal-text)" aria-hidden />
              <Text size="sm" c="teal">
                {hint.text}
              </Text>
            </Group>
          )}
          <Alert color="gray" variant="light" icon={<IconShieldCheck aria-hidden />} p="xs">
            CVV is never collected or stored.
          </Alert>
          <Group justify="flex-end" className={modalClasses.stickyFooter} mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Place order
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
