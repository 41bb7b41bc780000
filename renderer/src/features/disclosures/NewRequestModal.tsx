import { Alert, Button, Checkbox, CloseButton, FileInput, Group, Modal, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ChannelInput } from '../../../../main/api.std';
import type { CustomerRow } from '../../../../main/features/customers/customers.contract.std';
import type { Recipient } from '../../../../main/features/disclosures/disclosures.contract.std';
import { DISCLOSURE_KINDS, RECIPIENTS_FOR_KIND, SCAN_MEDIA_TYPES, type DisclosableField, type DisclosureKind, type ScanMediaType } from '../../../../main/features/disclosures/disclosureRules.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { CustomerSearch, type SearchResult } from '../customers/CustomerSearch';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS, RECIPIENT_KIND_LABELS } from './labels';
import modalClasses from '../../ui/Modal.module.css';

type CreateInput = ChannelInput<'disclosures.requests.create'>;

interface NewRequestModalProps {
  recipients: readonly Recipient[];
  onClose(): void;
  onFiled(): void;
}

const MAX_SCAN_BYTES = 5 * 1024 * 1024;

async function fileAsBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Files a disclosure request: customers (found by exact search, one or several), the recipient, the kind, the
 * fields (only those the recipient may receive), the purpose and, for a legal disclosure, its basis.
 */
export function NewRequestModal({ recipients, onClose, onFiled }: NewRequestModalProps) {
  const { submitting, failure, run } = useSubmission();
  const [found, setFound] = useState<SearchResult | null>(null);
  const [chosen, setChosen] = useState<CustomerRow[]>([]);
  const [kind, setKind] = useState<DisclosureKind | null>(null);
  const [recipientId, setRecipientId] = useState<string | null>(null);
  const [fields, setFields] = useState<DisclosableField[]>([]);
  const [purpose, setPurpose] = useState('');
  const [legal, setLegal] = useState({ authority: '', reference: '', documentDate: '', note: '' });
  const [scan, setScan] = useState<File | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});

  const eligible = useMemo(() => recipients.filter((r) => r.active && (!kind || RECIPIENTS_FOR_KIND[kind].includes(r.kind))), [recipients, kind]);
  const recipient = eligible.find((r) => r.id === recipientId) ?? null;

  const add = (row: CustomerRow) => setChosen((current) => (current.some((c) => c.id === row.id) ? current : [...current, row]));

  const submit = () => {
    const next: Record<string, string> = {};
    if (chosen.length === 0) next.customers = 'Add at least one customer';
    if (!kind) next.kind = 'Choose why the data is disclosed';
    if (!recipient) next.recipient = 'Choose the recipient';
    if (fields.length === 0) next.fields = 'Choose at least one field';
    if (purpose.trim().length < 10) next.purpose = 'Say why, in at least 10 characters';
    if (kind === 'legal') {
      if (!legal.authority.trim()) next.authority = 'Name the court or authority';
      if (!legal.reference.trim()) next.reference = 'Give the order or case number';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(legal.documentDate)) next.documentDate = 'Use the date format YYYY-MM-DD';
      if (!scan && !legal.note.trim()) next.note = 'Attach the document or write a note about it';
      if (scan && scan.size > MAX_SCAN_BYTES) next.scan = 'The document is larger than 5 MB';
    }
    setProblems(next);
    if (Object.keys(next).length) return;
    void run(async () => {
      const input: CreateInput = { customerIds: chosen.map((c) => c.id), recipientId: recipient!.id, kind: kind!, fields, purpose: purpose.trim() };
      if (kind === 'legal') {
        input.legal = {
          authority: legal.authority.trim(),
          reference: legal.reference.trim(),
          documentDate: legal.documentDate,
          ...(legal.note.trim() ? { note: legal.note.trim() } : {}),
          ...(scan ? { scan: { mediaType: scan.type as ScanMediaType, base64: await fileAsBase64(scan) } } : {}),
        };
      }
      await call('disclosures.requests.create', input);
      notifySuccess('Disclosure request filed. A manager will approve or deny it.');
      onFiled();
    });
  };

  return (
    <Modal opened onClose={onClose} title="Request a disclosure" size="xl" centered>
      <Stack>
        <Text size="sm" c="dimmed">
          iTechno shares personal data only with the e-commerce chain (for example a shipping company: name and address), with third parties the customer consented
          to, and when the law requires it. Selling data is not possible. A manager must approve every request.
        </Text>
        <Paper withBorder p="sm">
          <Title order={2} size="h5" mb="xs">
            Customers
          </Title>
          <CustomerSearch active={found !== null} onResult={setFound} onClear={() => setFound(null)} />
          {found && (
            <Stack gap={4} mt="xs">
              {found.rows.length === 0 && (
                <Text size="sm" c="dimmed">
                  No customer matches exactly.
                </Text>
              )}
              {found.rows.map((row) => (
                <Group key={row.id} justify="space-between">
                  <Text size="sm">
                    {row.displayName} · {row.city}
                  </Text>
                  <Button size="compact-sm" variant="light" onClick={() => add(row)} disabled={chosen.some((c) => c.id === row.id)} aria-label={`Add ${row.displayName}`}>
                    {chosen.some((c) => c.id === row.id) ? 'Added' : 'Add'}
                  </Button>
                </Group>
              ))}
              {found.rows.length > 1 && (
                <Button size="compact-sm" variant="subtle" onClick={() => found.rows.forEach(add)} w="fit-content">
                  Add all {found.rows.length}
                </Button>
              )}
            </Stack>
          )}
          <Table mt="sm" aria-label="Customers in this request">
            <Table.Tbody>
              {chosen.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>
                    <Text size="sm">{row.displayName}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{row.city}</Text>
                  </Table.Td>
                  <Table.Td w={40}>
                    <CloseButton aria-label={`Remove ${row.displayName}`} onClick={() => setChosen((current) => current.filter((c) => c.id !== row.id))} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" c={problems.customers ? 'red' : 'dimmed'} role={problems.customers ? 'alert' : undefined}>
            {problems.customers ?? `${chosen.length} customer(s) chosen`}
          </Text>
        </Paper>
        <Group grow align="flex-start">
          <Select
            label="Kind of disclosure"
            placeholder="Choose"
            data={DISCLOSURE_KINDS.map((value) => ({ value, label: DISCLOSURE_KIND_LABELS[value] }))}
            value={kind}
            onChange={(value) => {
              setKind(value as DisclosureKind | null);
              setRecipientId(null);
              setFields([]);
            }}
            error={problems.kind}
            required
          />
          <Select
            label="Recipient"
            placeholder={kind ? 'Choose' : 'Choose the kind first'}
            data={eligible.map((r) => ({ value: r.id, label: `${r.name} (${RECIPIENT_KIND_LABELS[r.kind]})` }))}
            value={recipientId}
            onChange={(value) => {
              setRecipientId(value);
              setFields([]);
            }}
            disabled={!kind}
            error={problems.recipient}
            required
          />
        </Group>
        {recipient && (
          <Checkbox.Group
            label="Fields to disclose"
            description={`Only what ${recipient.name} may receive (version ${recipient.version}).`}
            value={fields}
            onChange={(value) => setFields(value as DisclosableField[])}
            error={problems.fields}
            required
          >
            <Group mt="xs">
              {recipient.allowedFields.map((field) => (
                <Checkbox key={field} value={field} label={DISCLOSABLE_FIELD_LABELS[field]} />
              ))}
            </Group>
          </Checkbox.Group>
        )}
        <Textarea label="Purpose" description="Why this disclosure is needed. Kept encrypted." autosize minRows={2} maxLength={2000} value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)} error={problems.purpose} required />
        {kind === 'legal' && (
          <Paper withBorder p="sm">
            <Title order={2} size="h5" mb="xs">
              Legal basis
            </Title>
            <Stack gap="xs">
              <Group grow align="flex-start">
                <TextInput label="Court or authority" value={legal.authority} onChange={(e) => setLegal({ ...legal, authority: e.currentTarget.value })} error={problems.authority} required maxLength={200} />
                <TextInput label="Order or case number" value={legal.reference} onChange={(e) => setLegal({ ...legal, reference: e.currentTarget.value })} error={problems.reference} required maxLength={100} />
                <TextInput label="Document date" placeholder="YYYY-MM-DD" value={legal.documentDate} onChange={(e) => setLegal({ ...legal, documentDate: e.currentTarget.value })} error={problems.documentDate} required />
              </Group>
              <FileInput
                label="Served document"
                description="PDF, PNG or JPEG, at most 5 MB. Stored encrypted."
                accept={SCAN_MEDIA_TYPES.join(',')}
                value={scan}
                onChange={setScan}
                clearable
                error={problems.scan}
              />
              <Textarea label="Note" autosize minRows={2} maxLength={2000} value={legal.note} onChange={(e) => setLegal({ ...legal, note: e.currentTarget.value })} error={problems.note} />
            </Stack>
          </Paper>
        )}
        {Object.keys(problems).length > 0 && (
          <Alert color="red" variant="light" role="alert">
            Check the marked fields.
          </Alert>
        )}
        <FormFailure message={failure} title="Not filed" />
        <Group justify="flex-end" className={modalClasses.stickyFooter}>
          <Button variant="default" onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button loading={submitting} onClick={submit}>
            File request
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
