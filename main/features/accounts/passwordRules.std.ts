import { isBreachedPassword } from './breachedPasswords.std.ts';

/** The floor no office setting can go below (NIST SP 800-63B allows 8; the policy's console asks more). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
/** The highest minimum IT may set: above it passphrases become hard to type, and nobody gains. */
export const MAX_MIN_PASSWORD_LENGTH = 64;

/** Shown to the user before they submit, and enforced in main with the same code. No expiry (current guidance). */
export function passwordRules(minLength = MIN_PASSWORD_LENGTH): readonly [string, string, string, string] {
  return [
    `At least ${Math.max(minLength, MIN_PASSWORD_LENGTH)} characters (a passphrase of several words is easiest)`,
    `At most ${MAX_PASSWORD_LENGTH} characters`,
    "Must not contain the account's username",
    'Must not be a commonly used password or contain the company or product name',
  ];
}

/** The rules at the default minimum (first-run setup, before office settings exist). */
export const PASSWORD_RULES = passwordRules();

/** Returns the broken rule, or null when the password is acceptable. `minLength` is the office setting. */
export function passwordProblem(password: string, username: string, minLength = MIN_PASSWORD_LENGTH): string | null {
  const rules = passwordRules(minLength);
  if (password.length < Math.max(minLength, MIN_PASSWORD_LENGTH)) return rules[0];
  if (password.length > MAX_PASSWORD_LENGTH) return rules[1];
  const lower = password.toLowerCase();
  if (username.trim() && lower.includes(username.trim().toLowerCase())) return rules[2];
  if (isBreachedPassword(password)) return rules[3];
  return null;
}
