import { Button, Checkbox, Divider, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ChannelInput } from '../../../../main/api.std';
import { CONSENT_PURPOSE_LABELS, CONSENT_PURPOSES, STAFF_CONSENT_CHANNELS, type ConsentPurpose } from '../../../../main/features/customers/consents.std';
import { customersChannels, type CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import { dateOfBirthProblem, MINIMUM_AGE, type CustomerKind } from '../../../../main/features/customers/customerFields.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { optional, schemaErrors } from './formErrors';
import { CHANNEL_LABELS, KIND_LABELS } from './labels';
import modalClasses from '../../ui/Modal.module.css';
import { DateField } from '../../ui/DateField';

type StaffChannel = (typeof STAFF_CONSENT_CHANNELS)[number];

interface NewCustomerValues {
  kind: CustomerKind;
  givenName: string;
  familyName: string;
  organisationName: string;
  email: string;
  phone: string;
  shippingAddress: { street: string; city: string; region: string; postalCode: string; country: string };
  dateOfBirth: string;
  consents: Record<ConsentPurpose, boolean>;
  consentChannel: StaffChannel | null;
}

const INITIAL: NewCustomerValues = {
  kind: 'person',
  givenName: '',
  familyName: '',
  organisationName: '',
  email: '',
  phone: '',
  shippingAddress: { street: '', city: '', region: '', postalCode: '', country: '' },
  dateOfBirth: '',
  consents: { newsletter: false, productUpgrades: false, research: false, thirdPartySharing: false },
  consentChannel: null,
};

export const CHANNEL_OPTIONS = STAFF_CONSENT_CHANNELS.map((channel) => ({ value: channel, label: CHANNEL_LABELS[channel] }));
const KIND_OPTIONS = (['person', 'organisation_contact'] as const).map((kind) => ({ value: kind, label: KIND_LABELS[kind] }));

function toPayload(values: NewCustomerValues): ChannelInput<'customers.create'> {
  const a = values.shippingAddress;
  const granted = CONSENT_PURPOSES.filter((purpose) => values.consents[purpose]);
  return {
    kind: values.kind,
    givenName: values.givenName,
    familyName: values.familyName,
    organisationName: values.kind === 'organisation_contact' ? values.organisationName : undefined,
    email: values.email,
    phone: optional(values.phone),
    shippingAddress: { street: a.street, city: a.city, region: optional(a.region), postalCode: a.postalCode, country: a.country },
    dateOfBirth: optional(values.dateOfBirth),
    consents: granted.length ? Object.fromEntries(granted.map((purpose) => [purpose, true])) : undefined,
    consentChannel: granted.length && values.consentChannel ? values.consentChannel : undefined,
  };
}

/** The same rules main applies (the contract's own schema), plus the age rule that needs today's date. */
function validate(values: NewCustomerValues): Record<string, string> {
  const payload = toPayload(values);
  const errors = schemaErrors(customersChannels['customers.create'].input, payload);
  const dob = payload.dateOfBirth;
  const dobProblem = dob && !errors.dateOfBirth ? dateOfBirthProblem(dob, Date.now()) : null;
  return dobProblem ? { ...errors, dateOfBirth: dobProblem } : errors;
}

interface NewCustomerModalProps {
  opened: boolean;
  onClose(): void;
  onCreated(customer: CustomerRow): void;
}

export function NewCustomerModal({ opened, onClose, onCreated }: NewCustomerModalProps) {
  const { submitting, failure, run, reset } = useSubmission();
  const form = useForm<NewCustomerValues>({ mode: 'controlled', initialValues: INITIAL, validate });
  const anyConsent = CONSENT_PURPOSES.some((purpose) => form.values.consents[purpose]);

  const close = () => {
    form.reset();
    reset();
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    const created = await run(async () => {
      const { customer } = await call('customers.create', toPayload(values));
      notifySuccess('Customer record created.');
      onCreated(customer);
    });
    if (created) close();
  });

  return (
    <Modal opened={opened} onClose={close} title="New customer" size="xl" centered>
      <form onSubmit={submit} noValidate aria-label="New customer">
        <Stack gap="sm">
          <FormFailure message={failure} title="Not saved" />
          <SegmentedControl data={KIND_OPTIONS} aria-label="Kind of customer" key={form.key('kind')} {...form.getInputProps('kind')} />
          <Group grow align="flex-start">
            <TextInput label="Given name" withAsterisk data-autofocus key={form.key('givenName')} {...form.getInputProps('givenName')} />
            <TextInput label="Family name" withAsterisk key={form.key('familyName')} {...form.getInputProps('familyName')} />
          </Group>
          {form.values.kind === 'organisation_contact' && (
            <TextInput
              label="Organisation"
              description="The client organisation this contact works for"
              withAsterisk
              key={form.key('organisationName')}
              {...form.getInputProps('organisationName')}
            />
          )}
          <Group grow align="flex-start">
            <TextInput label="Email" type="email" withAsterisk autoComplete="off" key={form.key('email')} {...form.getInputProps('email')} />
            <TextInput label="Phone" placeholder="Optional" autoComplete="off" key={form.key('phone')} {...form.getInputProps('phone')} />
          </Group>
          <Divider label="Shipping address" labelPosition="left" mt="xs" />
          <TextInput label="Street" withAsterisk autoComplete="off" key={form.key('shippingAddress.street')} {...form.getInputProps('shippingAddress.street')} />
          <Group grow align="flex-start">
            <TextInput label="City" withAsterisk autoComplete="off" key={form.key('shippingAddress.city')} {...form.getInputProps('shippingAddress.city')} />
            <TextInput label="Region" placeholder="Optional" autoComplete="off" key={form.key('shippingAddress.region')} {...form.getInputProps('shippingAddress.region')} />
          </Group>
          <Group grow align="flex-start">
            <TextInput label="Postal code" withAsterisk autoComplete="off" key={form.key('shippingAddress.postalCode')} {...form.getInputProps('shippingAddress.postalCode')} />
            <TextInput
              label="Country"
              placeholder="Two-letter code, e.g. GB"
              withAsterisk
              maxLength={2}
              autoComplete="off"
              key={form.key('shippingAddress.country')}
              {...form.getInputProps('shippingAddress.country')}
            />
          </Group>
          <DateField
            label="Date of birth"
            description={`Optional — only if the customer gave it. Customers under ${MINIMUM_AGE} are not collected.`}
            w={260}
            key={form.key('dateOfBirth')}
            {...form.getInputProps('dateOfBirth')}
          />
          <Divider label="Marketing preferences" labelPosition="left" mt="xs" />
          <Text size="sm" c="dimmed">
            Everything is off unless the customer asked for it. Tick only what they agreed to.
          </Text>
          <Group gap="lg">
            {CONSENT_PURPOSES.map((purpose) => (
              <Checkbox
                key={form.key(`consents.${purpose}`)}
                label={CONSENT_PURPOSE_LABELS[purpose]}
                {...form.getInputProps(`consents.${purpose}`, { type: 'checkbox' })}
              />
            ))}
          </Group>
          {anyConsent && (
            <Select
              label="How did the customer give this consent?"
              data={CHANNEL_OPTIONS}
              withAsterisk
              w={320}
              key={form.key('consentChannel')}
              {...form.getInputProps('consentChannel')}
            />
          )}
          <Group justify="flex-end" className={modalClasses.stickyFooter} mt="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={submitting}>
              Create customer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
