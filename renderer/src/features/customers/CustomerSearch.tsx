import { Button, Group, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSearch, IconX } from '@tabler/icons-react';
import type { ChannelInput, ChannelOutput } from '../../../../main/api.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { useSubmission } from '../../ui/useSubmission';

export type SearchBy = ChannelInput<'customers.search'>['by'];

export interface SearchResult extends ChannelOutput<'customers.search'> {
  by: SearchBy;
}

const SEARCH_BY: { value: SearchBy; label: string; placeholder: string }[] = [
  { value: 'email', label: 'Email address', placeholder: 'name@example.com' },
  { value: 'phone', label: 'Phone number', placeholder: '+44 20 7946 0000' },
  { value: 'postalCode', label: 'Postal code', placeholder: 'SW1A 1AA' },
  { value: 'familyName', label: 'Family name', placeholder: 'Müller' },
];

export const SEARCH_BY_LABELS = Object.fromEntries(SEARCH_BY.map((option) => [option.value, option.label])) as Record<SearchBy, string>;

interface CustomerSearchProps {
  active: boolean;
  onResult(result: SearchResult): void;
  onClear(): void;
}

/**
 * Exact-match search over main's blind indexes: the whole value must match (case, spacing and accents are
 * normalised by main). There is no partial or fuzzy search, by design.
 */
export function CustomerSearch({ active, onResult, onClear }: CustomerSearchProps) {
  const { submitting, failure, run, reset } = useSubmission();
  const form = useForm({
    mode: 'controlled',
    initialValues: { by: 'email' as SearchBy, value: '' },
    validate: { value: (value) => (value.trim() ? null : 'Enter the exact value to look for') },
  });
  const placeholder = SEARCH_BY.find((option) => option.value === form.values.by)?.placeholder;

  const submit = form.onSubmit(({ by, value }) =>
    run(async () => onResult({ by, ...(await call('customers.search', { by, value: value.trim() })) })),
  );

  const clear = () => {
    form.reset();
    reset();
    onClear();
  };

  return (
    <form onSubmit={submit} noValidate role="search" aria-label="Find a customer">
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <Select
          label="Search by"
          data={SEARCH_BY}
          allowDeselect={false}
          w={190}
          key={form.key('by')}
          {...form.getInputProps('by')}
        />
        <TextInput
          label="Exact value"
          placeholder={placeholder}
          style={{ flex: 1 }}
          autoComplete="off"
          key={form.key('value')}
          {...form.getInputProps('value')}
        />
        <Button type="submit" mt={25} loading={submitting} leftSection={<IconSearch size={16} aria-hidden />}>
          Search
        </Button>
        {active && (
          <Button variant="default" mt={25} onClick={clear} leftSection={<IconX size={16} aria-hidden />}>
            Clear
          </Button>
        )}
      </Group>
      <FormFailure message={failure} />
    </form>
  );
}
