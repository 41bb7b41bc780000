import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { consoleSettings, OFFICE_LOCALE_LABELS, OFFICE_LOCALES, type ConsoleSettings, type OfficeLocale } from '../../../../main/features/settings/settings.contract.std';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { notifySuccess } from '../../ui/notify';
import { useSubmission } from '../../ui/useSubmission';
import { useSession } from '../session/sessionContext';

const SAMPLE = '2026-03-14T15:09:26Z';
const sample = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(SAMPLE));

/** The office's locale: how every screen writes dates and times (issue #13). */
export function DateFormatForm({ current }: { current: ConsoleSettings }) {
  const { submitting, failure, run } = useSubmission();
  const { refresh } = useSession();
  const form = useForm<{ locale: OfficeLocale }>({
    mode: 'controlled',
    initialValues: { locale: current.locale },
    validate: { locale: (value) => (consoleSettings.shape.locale.safeParse(value).success ? null : 'Choose one of the listed formats') },
  });
  const submit = form.onSubmit((values) =>
    run(async () => {
      const saved = await call('settings.update', values);
      form.resetDirty({ locale: saved.locale });
      notifySuccess(`Saved for every workstation: dates are written as in ${OFFICE_LOCALE_LABELS[saved.locale]} (${sample(saved.locale)}).`);
      // The session carries the locale: read it again so this window follows at once.
      await refresh();
    }),
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Date format">
      <Stack>
        <div>
          <Title order={2} size="h4">
            Date format
          </Title>
          <Text size="sm" c="dimmed">
            How every screen writes dates and times, for everyone in the office.
          </Text>
        </div>
        <FormFailure message={failure} />
        <Select
          label="Locale"
          data={OFFICE_LOCALES.map((l) => ({ value: l, label: `${OFFICE_LOCALE_LABELS[l]} — ${sample(l)}` }))}
          allowDeselect={false}
          maw={420}
          {...form.getInputProps('locale')}
        />
        <Group>
          <Button type="submit" loading={submitting}>
            Save date format
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
