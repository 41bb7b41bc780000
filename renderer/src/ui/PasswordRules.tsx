import { List, Text } from '@mantine/core';
import { PASSWORD_RULES } from '../../../main/features/accounts/passwordRules.std';

/** Shown before submit so nobody has to guess; main enforces the same rules. */
export function PasswordRules() {
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        Password rules
      </Text>
      <List size="sm" c="dimmed" spacing={2}>
        {PASSWORD_RULES.map((rule) => (
          <List.Item key={rule}>{rule}</List.Item>
        ))}
      </List>
    </div>
  );
}
