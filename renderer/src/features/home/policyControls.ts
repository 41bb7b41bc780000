import { IconClockShield, IconKey, IconListCheck, IconLock, IconPassword, IconUserShield, type Icon } from '@tabler/icons-react';

export interface PolicyControl {
  title: string;
  description: string;
  icon: Icon;
}

/** The privacy policy's technical controls as this console enforces them. */
export function policyControls(idleLockMinutes: number): PolicyControl[] {
  return [
    {
      title: 'Need-to-know access',
      description: 'Every action is checked against your role in the app’s protected core. Anything not granted is refused.',
      icon: IconUserShield,
    },
    {
      title: 'Automatic lock',
      description: `The console locks after ${idleLockMinutes} minutes without activity and needs your password to reopen.`,
      icon: IconClockShield,
    },
    {
      title: 'Strong passwords',
      description: 'Long passphrases, checked against the username and a list of common ones. Repeated wrong attempts lock the account for a while.',
      icon: IconPassword,
    },
    {
      title: 'Confirmation for sensitive changes',
      description: 'Creating accounts, changing roles and resetting passwords ask for your password again.',
      icon: IconLock,
    },
    {
      title: 'Encrypted storage',
      description: 'Names and other personal data are encrypted on disk; the key is kept in the operating system’s keychain.',
      icon: IconKey,
    },
    {
      title: 'Tamper-evident audit log',
      description: 'Sign-ins and changes are recorded in a hash-chained log that auditors can verify at any time.',
      icon: IconListCheck,
    },
  ];
}
