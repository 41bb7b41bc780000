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

export function newPasswordError(password: string, username: string): string | null {
  return passwordProblem(password, username);
}

export function confirmationError(confirmation: string, password: string): string | null {
  return confirmation === password ? null : 'The passwords do not match';
}
