import { List, Text } from '@mantine/core';
import { passwordRules } from '../../../main/features/accounts/passwordRules.std';

/** Shown before submit so nobody has to guess; main enforces the same rules (with the office's minimum length). */
export function PasswordRules({ minLength }: { minLength?: number }) {
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        Password rules
      </Text>
      <List size="sm" c="dimmed" spacing={2}>
        {passwordRules(minLength).map((rule) => (
          <List.Item key={rule}>{rule}</List.Item>
        ))}
      </List>
    </div>
  );
}
