/** Shown to the user before they submit, and enforced in main with the same code. */
export const PASSWORD_RULES = [
  'At least 12 characters (a passphrase of several words is easiest)',
  'At most 128 characters',
  'Must not contain the account\'s username',
  'Must not be a commonly used password',
] as const;

const COMMON = new Set([
  'password1234', 'password12345', 'passw0rd1234', '123456789012', 'qwertyuiopas', 'iloveyou1234',
  'administrator', 'letmein12345', 'welcome12345', 'changeme1234', 'itechno12345', 'privacy12345',
]);

/** Returns the broken rule, or null when the password is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 12) return PASSWORD_RULES[0];
  if (password.length > 128) return PASSWORD_RULES[1];
  const lower = password.toLowerCase();
  if (username.trim() && lower.includes(username.trim().toLowerCase())) return PASSWORD_RULES[2];
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return PASSWORD_RULES[3];
  return null;
}
