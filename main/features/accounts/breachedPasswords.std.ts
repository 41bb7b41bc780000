/**
 * The most common passwords of public breach corpora (the top of the SecLists / NCSC "100k most used" lists, as
 * words: digits and symbols around them are ignored by the check) and the names anyone would try first here —
 * the company, the product and the office. Kept small and bundled: no network lookup from an offline console.
 */
export const BREACHED_WORDS: readonly string[] = [
  'password', 'passw0rd', 'passwort', 'motdepasse', 'contrasena', 'qwerty', 'qwertyuiop', 'qwertyuiopas', 'asdfgh',
  'asdfghjkl', 'zxcvbnm', 'azerty', 'abc', 'abcdef', 'abcdefgh', 'letmein', 'welcome', 'welcomeback', 'iloveyou',
  'admin', 'administrator', 'root', 'changeme', 'default', 'secret', 'master', 'login', 'monkey', 'dragon',
  'football', 'baseball', 'soccer', 'hockey', 'basketball', 'superman', 'batman', 'trustno', 'sunshine',
  'princess', 'shadow', 'michael', 'jennifer', 'jordan', 'hunter', 'ranger', 'buster', 'thomas', 'tigger',
  'charlie', 'robert', 'daniel', 'starwars', 'whatever', 'freedom', 'pokemon', 'computer', 'internet', 'killer',
  'cheese', 'summer', 'winter', 'spring', 'autumn', 'flower', 'hello', 'helloworld', 'loveme', 'lovely',
  'mustang', 'access', 'matrix', 'pepper', 'ginger', 'cookie', 'chocolate', 'blink', 'samsung', 'apple', 'google',
  'microsoft', 'windows', 'linux', 'office', 'company', 'business', 'support', 'service', 'customer', 'manager',
  'staff', 'guest', 'user', 'test', 'testing', 'temp', 'temporary', 'passphrase', 'security', 'privacy',
  'onetwothree', 'zaq', 'qazwsx', 'qazwsxedc', 'aaaaaa', 'abcabc', 'monday', 'friday', 'january', 'december',
  'itechno', 'itechnology', 'privacyconsole', 'console', 'itechnoprivacy',
];

/** Names that may not appear anywhere in a password (not only as the whole of it). */
export const FORBIDDEN_NAMES: readonly string[] = ['itechno', 'privacyconsole'];

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
const WORDS = new Set(BREACHED_WORDS);

/** Letters only, leetspeak undone: "P@ssw0rd!2024" → "passwordi" → checked with and without the digits around. */
function normalised(password: string): string[] {
  const lower = password.toLowerCase().normalize('NFKC');
  const letters = lower.replace(/[^a-z]/g, '');
  const unleet = [...lower].map((c) => LEET[c] ?? c).join('').replace(/[^a-z]/g, '');
  // Digits and symbols only at the ends ("password2024!") are padding, not strength.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const coreUnleet = [...lower.replace(/^[\d\W_]+(?=[a-z@$])|(?<=[a-z])[\d\W_]+$/g, '')].map((c) => LEET[c] ?? c).join('').replace(/[^a-z]/g, '');
  return [...new Set([letters, unleet, core.replace(/[^a-z]/g, ''), coreUnleet])];
}

/** True when the password is a common one, a repeated or padded common word, or contains the company's names. */
export function isBreachedPassword(password: string): boolean {
  const forms = normalised(password);
  if (forms.some((form) => FORBIDDEN_NAMES.some((name) => form.includes(name)))) return true;
  return forms.some((form) => form === '' || WORDS.has(form) || repeatsOneWord(form));
}

/** "passwordpassword", "qwertyqwerty": a common word said twice is no stronger. */
function repeatsOneWord(form: string): boolean {
  for (const word of WORDS) {
    if (form.length % word.length === 0 && form.length > word.length && form === word.repeat(form.length / word.length)) return true;
  }
  return /^(.)\1+$/.test(form);
}
