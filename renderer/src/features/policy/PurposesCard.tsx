import { Paper, Table, Text, Title } from '@mantine/core';
import { LEGAL_BASIS_LABELS, PURPOSES } from '../../../../main/features/customers/customers.contract.std';

const BASIS_NAMES = { contract: 'Contract', consent: 'Consent', legitimate_interest: 'Legitimate interest' } as const;

/** The purposes the policy names and the legal basis each is enforced under. */
export function PurposesCard() {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} size="h4" id="purposes-title" mb="xs">
        Purposes and legal bases
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Each consent records the policy version shown when it was given; withdrawing is one action on the same screen as giving it (the customer record's consents).
      </Text>
      <Table aria-labelledby="purposes-title" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Purpose</Table.Th>
            <Table.Th>Legal basis</Table.Th>
            <Table.Th>What the policy says</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {PURPOSES.map((p) => (
            <Table.Tr key={p.purpose}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {p.label}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {BASIS_NAMES[p.legalBasis]}
                </Text>
                <Text size="xs" c="dimmed">
                  {LEGAL_BASIS_LABELS[p.legalBasis].replace(/^[^(]*\(|\)$/g, '')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fs="italic">
                  “{p.policyText}”
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
