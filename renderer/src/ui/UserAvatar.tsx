import { Avatar, type AvatarProps } from '@mantine/core';

function initials(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => word?.[0]?.toUpperCase() ?? '').join('') || '?';
}

export function UserAvatar({ displayName, ...props }: { displayName: string } & Omit<AvatarProps, 'children'>) {
  return (
    <Avatar color="indigo" radius="xl" {...props}>
      {initials(displayName)}
    </Avatar>
  );
}
