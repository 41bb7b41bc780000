import { Alert, Button, FileInput, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconFileCheck, IconSignature, IconShieldX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { AuditVerification } from '../../../../main/features/audit/audit.contract.std';
import { ApiCallError } from '../../api/ApiCallError';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { formatDateTime } from '../../ui/format';
import { useSubmission } from '../../ui/useSubmission';

interface Exported {
  seq: number;
  at: string;
  file: string;
}

type HeadVerdict = AuditVerification & { head: { seq: number; at: string } };

const MAX_FILE_BYTES = 8_000;

/**
 * Signed heads: the auditor keeps a signed (sequence number, hash, time) outside the app and later checks that the
 * chain still holds it — a cut-off end of the log shows even if everything on this computer was replaced.
 */
export function SignedHeadCard({ onChanged }: { onChanged(): void }) {
  const [exported, setExported] = useState<Exported | null>(null);
  const [downloadUrl, setDownloadUrl] = useState<string | null>(null);
  const [headFile, setHeadFile] = useState<File | null>(null);
  const [verdict, setVerdict] = useState<HeadVerdict | null>(null);
  const exporting = useSubmission();
  const verifying = useSubmission();

  useEffect(() => () => void (downloadUrl && URL.revokeObjectURL(downloadUrl)), [downloadUrl]);

  const exportHead = () =>
    exporting.run(async () => {
      const head = await call('audit.exportHead', {});
      setExported(head);
      setDownloadUrl(URL.createObjectURL(new Blob([head.file], { type: 'application/json' })));
      onChanged();
    });

  const verifyHead = () =>
    verifying.run(async () => {
      setVerdict(null);
      if (!headFile) throw new ApiCallError({ code: 'INVALID_INPUT', message: 'Choose a head file first.' });
      if (headFile.size > MAX_FILE_BYTES) throw new ApiCallError({ code: 'INVALID_INPUT', message: 'This file is too large to be a signed head file.' });
      setVerdict(await call('audit.verifyHead', { file: await headFile.text() }));
      onChanged();
    });

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="md">
        <div>
          <Text fw={600} component="h2" size="md">
            Signed head
          </Text>
          <Text size="sm" c="dimmed">
            Export the current end of the verified chain, signed with this database&apos;s audit key, and keep the file
            outside this computer. Verifying against it later shows whether events were cut off the end of the log.
          </Text>
        </div>

        <Group justify="space-between" wrap="nowrap" align="flex-end">
          <Text size="sm">The chain is verified first; a broken chain is not signed.</Text>
          <Button variant="light" leftSection={<IconSignature size={18} aria-hidden />} loading={exporting.submitting} onClick={() => void exportHead()}>
            Export signed head
          </Button>
        </Group>
        {(exported || exporting.failure) && (
          <Stack gap="xs" role="status" aria-label="Signed head export">
            {exported && downloadUrl && (
              <>
                <Text size="sm">
                  Signed head of event #{exported.seq}, {formatDateTime(exported.at, { seconds: true })}.
                </Text>
                <Group>
                  <Button
                    component="a"
                    href={downloadUrl}
                    download={`audit-head-${exported.seq}.json`}
                    variant="default"
                    leftSection={<IconDownload size={18} aria-hidden />}
                  >
                    Save head file
                  </Button>
                </Group>
                <Textarea label="Head file contents" description="Also printable or copyable to paper records." readOnly autosize maxRows={6} value={exported.file} />
              </>
            )}
            <FormFailure message={exporting.failure} />
          </Stack>
        )}

        <Group align="flex-end" wrap="nowrap">
          <FileInput
            style={{ flex: 1 }}
            label="Head file"
            description="A file saved with “Export signed head”."
            placeholder="Choose a .json file"
            accept="application/json,.json"
            clearable
            value={headFile}
            onChange={(file) => {
              setHeadFile(file);
              setVerdict(null);
              verifying.reset();
            }}
          />
          <Button
            variant="light"
            leftSection={<IconFileCheck size={18} aria-hidden />}
            disabled={!headFile}
            loading={verifying.submitting}
            onClick={() => void verifyHead()}
          >
            Verify against a head file
          </Button>
        </Group>
        {(verdict || verifying.failure) && (
          <Stack role="status" aria-label="Head file verification">
            {verdict &&
              (verdict.ok ? (
                <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="Chain holds the signed head">
                  The chain still holds event #{verdict.head.seq} as signed on {formatDateTime(verdict.head.at, { seconds: true })}; all{' '}
                  {verdict.checked} events verified.
                </Alert>
              ) : (
                <Alert color="red" variant="light" icon={<IconShieldX aria-hidden />} title="Chain does not hold the signed head">
                  {verdict.firstBrokenSeq !== null ? `The first problem is at event #${verdict.firstBrokenSeq}: ` : ''}
                  {verdict.reason ?? 'the head file does not match'}. Report this to your data protection officer.
                </Alert>
              ))}
            <FormFailure message={verifying.failure} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
