import { passwordProblem } from '../../../main/features/accounts/passwordRules.std';

/** Client-side hints matching the contract's rules; main validates everything again. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;

export function usernameError(value: string): string | null {
  return USERNAME_PATTERN.test(value.trim().toLowerCase()) ? null : '3–32 characters: letters, digits, dot, dash, underscore';
}

export function requiredText(label: string, max: number) {
  return (value: string): string | null => {
    const trimmed = value.trim();
    if (!trimmed) return `Enter ${label}`;
    return trimmed.length > max ? `At most ${max} characters` : null;
  };
}

export function newPasswordError(password: string, username: string, minLength?: number): string | null {
  return passwordProblem(password, username, minLength);
}

export function confirmationError(confirmation: string, password: string): string | null {
  return confirmation === password ? null : 'The passwords do not match';
}

/** The form values that NewPasswordFields edits. */
export interface NewPasswordValues {
  password: string;
  confirmation: string;
}

/**
 * Validation for NewPasswordFields, to spread into a form's `validate`: the password must follow the rules
 * (at least the office's `minLength`, and not contain the username `usernameOf` gives), and the confirmation
 * must match it.
 */
export function newPasswordRules<Values>(usernameOf: (values: Values) => string, minLength?: number) {
  return {
    password: (value: string, values: Values) => newPasswordError(value, usernameOf(values), minLength),
    confirmation: (value: string, values: Values & NewPasswordValues) => confirmationError(value, values.password),
  };
}
