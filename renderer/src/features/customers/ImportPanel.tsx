import { Alert, Badge, Button, Checkbox, FileInput, Group, Paper, Progress, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileTypeCsv, IconPlayerStop, IconUpload } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { ChannelInput, ChannelOutput } from '../../../../main/api.std';
import { IMPORT_FIELDS, MAX_IMPORT_CSV_CHARS, REQUIRED_IMPORT_FIELDS, type ImportField } from '../../../../main/features/customers/customers.contract.std';
import { errorMessage } from '../../api/ApiCallError';
import { call } from '../../api/client';
import { FormFailure } from '../../ui/FormFailure';
import { cancelTask, runTask, useRunningTask, type LocalTask, type TaskReport } from '../tasks/taskStore';
import { fieldLabel, IMPORT_FIELD_LABELS } from './labels';

type Preview = ChannelOutput<'customers.importPreview'>;
type Report = ChannelOutput<'customers.importRun'>;
type Mapping = ChannelInput<'customers.importRun'>['mapping'];
type ColumnMapping = Partial<Record<ImportField, string>>;
interface RunOptions {
  dryRun: boolean;
  requireAllValid: boolean;
}

type Stage =
  | { kind: 'pick' }
  | { kind: 'map'; fileName: string; csv: string; preview: Preview; mapping?: ColumnMapping; options?: RunOptions }
  | { kind: 'running'; fileName: string; csv: string; preview: Preview; mapping: ColumnMapping; options: RunOptions; taskId: string }
  | { kind: 'done'; fileName: string; report: Report };

const REQUIRED = new Set<string>(REQUIRED_IMPORT_FIELDS);

/** Read in the renderer with FileReader: the file never passes through Node, only its text goes to main. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(file, 'utf-8');
  });
}

interface ImportPanelProps {
  onImported(): void;
  onClose(): void;
}

/**
 * CSV import of an existing customer list: pick a file, map its columns (main suggests a mapping and refuses
 * card columns), run with progress and a cancel button, then read the per-row report.
 */
export const IMPORT_TASK_KIND = 'customers.import';

/** An import's report as the task list keeps it (rows, fields and rules only: never a value). */
function importReport(fileName: string, report: Report): TaskReport | null {
  if (report.rejected.length === 0) return null;
  return {
    title: `${report.dryRun ? 'Validation' : 'Import'} of ${fileName}: rejected rows`,
    summary: importSummary(report),
    rows: report.rejected.map((problem) => ({ ...problem, field: fieldLabel(problem.field) })),
    truncated: report.problemsTruncated,
    fileName: `${fileName.replace(/\.csv$/i, '')}-rejected-rows.csv`,
  };
}

function importSummary(report: Report): string {
  const verb = report.dryRun ? 'would be imported' : 'imported';
  return `${report.totalRows} rows read · ${report.dryRun ? report.validRows : report.imported} ${verb} · ${report.rejectedRows} rejected.`;
}

export function ImportPanel({ onImported, onClose }: ImportPanelProps) {
  const [stage, setStage] = useState<Stage>({ kind: 'pick' });
  // An import still running (started before this page was left) is shown instead of a second one.
  const running = useRunningTask(IMPORT_TASK_KIND);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);

  const pick = async (file: File | null) => {
    setFailure(null);
    if (!file) return;
    setBusy(true);
    try {
      const csv = await readText(file);
      if (csv.length > MAX_IMPORT_CSV_CHARS) throw new Error('too large');
      const preview = await call('customers.importPreview', { csv });
      setStage({ kind: 'map', fileName: file.name, csv, preview });
    } catch (error) {
      setFailure(error instanceof Error && error.message === 'too large' ? 'The file is larger than 20 MB.' : errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const run = (current: Extract<Stage, { kind: 'map' }>, mapping: ColumnMapping, options: RunOptions) => {
    const taskId = crypto.randomUUID();
    setFailure(null);
    setStage({ ...current, kind: 'running', mapping, options, taskId });
    const body: Mapping = {};
    for (const field of IMPORT_FIELDS) if (mapping[field]) body[field] = mapping[field];
    // Run as a task: it survives leaving this page, shows in the header, and keeps its report.
    runTask({
      taskId,
      kind: IMPORT_TASK_KIND,
      label: `${options.dryRun ? 'Check' : 'Import'} of ${current.fileName}`,
      path: '/customers',
      total: current.preview.rowCount,
      run: () => call('customers.importRun', { taskId, csv: current.csv, mapping: body, ...options }),
      outcome: importSummary,
      report: (report) => importReport(current.fileName, report),
      cancel: () => call('customers.importCancel', { taskId }),
    }).then(
      (report) => {
        if (!mounted.current) return;
        setStage({ kind: 'done', fileName: current.fileName, report });
        if (report.imported > 0) onImported();
      },
      (error: unknown) => {
        if (!mounted.current) return;
        // Cancelled or refused: back to the mapping, as it was, options included (a run without "import nothing
        // unless every row is valid" that nobody meant would keep a partial list).
        setFailure(errorMessage(error));
        setStage({ ...current, mapping, options });
      },
    );
  };

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="lg">
        <Stack gap="md">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Title order={2} size="h4">
                Import customers from CSV
              </Title>
              <Text size="sm" c="dimmed">
                The first row must name the columns. Card numbers and security codes are never imported; third-party
                sharing consent is never taken from a list.
              </Text>
            </div>
            <Button variant="default" onClick={onClose} style={{ flexShrink: 0 }}>
              Back to customers
            </Button>
          </Group>
          <FormFailure message={failure} title="Import problem" />
          {running && stage.kind !== 'running' && (
            <Text size="sm" role="status">
              An import is running: a second one can start once it ends. Its progress is also in the header.
            </Text>
          )}
          {!running && (stage.kind === 'pick' || stage.kind === 'done') && (
            <FileInput
              label="CSV file"
              placeholder={stage.kind === 'done' ? 'Choose another .csv file' : 'Choose a .csv file'}
              accept=".csv,text/csv"
              leftSection={<IconFileTypeCsv size={18} aria-hidden />}
              onChange={(file) => void pick(file)}
              disabled={busy}
              w={420}
              clearable={false}
              value={null}
            />
          )}
        </Stack>
      </Paper>
      {stage.kind === 'map' && !running && (
        <MappingStep stage={stage} onRun={(mapping, options) => run(stage, mapping, options)} />
      )}
      {running && <RunningStep task={running} />}
      {!running && stage.kind === 'done' && <ImportReport fileName={stage.fileName} report={stage.report} />}
    </Stack>
  );
}

interface MappingStepProps {
  stage: Extract<Stage, { kind: 'map' }>;
  onRun(mapping: ColumnMapping, options: RunOptions): void;
}

function MappingStep({ stage, onRun }: MappingStepProps) {
  const { preview } = stage;
  const [mapping, setMapping] = useState<ColumnMapping>(() => {
    if (stage.mapping) return stage.mapping;
    const suggested: ColumnMapping = {};
    for (const field of IMPORT_FIELDS) if (preview.suggestedMapping[field]) suggested[field] = preview.suggestedMapping[field];
    return suggested;
  });
  const [dryRun, setDryRun] = useState(stage.options?.dryRun ?? false);
  const [requireAllValid, setRequireAllValid] = useState(stage.options?.requireAllValid ?? false);
  const refused = new Set(preview.refusedColumns);
  const usable = preview.columns.filter((column) => column && !refused.has(column));
  const used = new Map(Object.entries(mapping).map(([field, column]) => [column, field]));
  const missing = REQUIRED_IMPORT_FIELDS.filter((field) => !mapping[field]);

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="md">
        <Group gap="xs">
          <Text fw={600}>{stage.fileName}</Text>
          <Badge variant="light">{preview.rowCount} rows</Badge>
          <Badge variant="light" color="gray">
            {preview.columns.length} columns
          </Badge>
        </Group>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Columns in the file
          </Text>
          <Group gap={6} aria-label="Columns in the file" role="list">
            {preview.columns.map((column, index) => (
              <Badge key={`${column}-${index}`} role="listitem" variant="outline" color={refused.has(column) ? 'red' : used.has(column) ? 'indigo' : 'gray'} tt="none">
                {column || '(unnamed)'}
              </Badge>
            ))}
          </Group>
        </div>
        {preview.refusedColumns.length > 0 && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Card data columns are ignored">
            {preview.refusedColumns.join(', ')} — card numbers and security codes are never imported.
          </Alert>
        )}
        <Table verticalSpacing={6} aria-label="Column mapping" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Customer field</Table.Th>
              <Table.Th>Column in the file</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {IMPORT_FIELDS.map((field) => (
              <Table.Tr key={field}>
                <Table.Td>
                  <Text size="sm">
                    {IMPORT_FIELD_LABELS[field]}
                    {REQUIRED.has(field) && (
                      <Text span c="red" aria-hidden>
                        {' '}
                        *
                      </Text>
                    )}
                  </Text>
                </Table.Td>
                <Table.Td w={320}>
                  <Select
                    aria-label={`Column for ${IMPORT_FIELD_LABELS[field]}`}
                    placeholder={REQUIRED.has(field) ? 'Choose a column (required)' : 'Not imported'}
                    data={usable.map((column) => ({ value: column, label: column, disabled: used.has(column) && used.get(column) !== field }))}
                    value={mapping[field] ?? null}
                    onChange={(column) => setMapping((current) => ({ ...current, [field]: column ?? undefined }))}
                    clearable
                    size="xs"
                    error={REQUIRED.has(field) && !mapping[field]}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group gap="xl">
          <Checkbox label="Validate only (dry run, nothing is saved)" checked={dryRun} onChange={(event) => setDryRun(event.currentTarget.checked)} />
          <Checkbox
            label="Import nothing unless every row is valid"
            checked={requireAllValid}
            onChange={(event) => setRequireAllValid(event.currentTarget.checked)}
          />
        </Group>
        <Group justify="space-between">
          <Text size="sm" c={missing.length ? 'red' : 'dimmed'}>
            {missing.length ? `Map a column to: ${missing.map((field) => IMPORT_FIELD_LABELS[field]).join(', ')}` : 'Every required field is mapped.'}
          </Text>
          <Button leftSection={<IconUpload size={18} aria-hidden />} disabled={missing.length > 0} onClick={() => onRun(mapping, { dryRun, requireAllValid })}>
            {dryRun ? 'Validate rows' : 'Run import'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function RunningStep({ task }: { task: LocalTask }) {
  const progress = { done: task.done, total: task.total ?? 0 };
  const cancelling = task.cancelling;
  const cancelFailure = task.message;
  const cancel = () => cancelTask(task.taskId);
  const rowCount = task.total ?? 0;
  const fileName = task.label.replace(/^(Import|Check) of /, '');

  const total = progress?.total ?? rowCount;
  const percent = progress && total > 0 ? Math.round((progress.done / total) * 100) : 0;
  const started = progress !== null && progress.done > 0;

  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="sm">
        <Text fw={600}>Importing {fileName}</Text>
        <Progress
          value={started ? percent : 100}
          striped={!started}
          animated={!started}
          size="lg"
          aria-label="Import progress"
          color={cancelling ? 'gray' : undefined}
        />
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {cancelling
              ? 'Cancelling — nothing will be kept…'
              : started
                ? `${progress.done.toLocaleString()} of ${total.toLocaleString()} rows (${percent}%)`
                : `Checking ${total.toLocaleString()} rows…`}
          </Text>
          <Button variant="default" color="red" leftSection={<IconPlayerStop size={16} aria-hidden />} onClick={cancel} loading={cancelling}>
            Cancel
          </Button>
        </Group>
        <FormFailure message={cancelFailure} />
      </Stack>
    </Paper>
  );
}

function ImportReport({ fileName, report }: { fileName: string; report: Report }) {
  const clean = report.rejectedRows === 0;
  const verb = report.dryRun ? 'would be imported' : 'imported';
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="md">
        <Alert
          color={clean ? 'teal' : 'orange'}
          variant="light"
          icon={clean ? <IconCircleCheck aria-hidden /> : <IconAlertTriangle aria-hidden />}
          title={report.dryRun ? `Validation of ${fileName}` : `Import of ${fileName} finished`}
          role="status"
        >
          {report.totalRows} rows read · {report.dryRun ? report.validRows : report.imported} {verb} · {report.rejectedRows} rejected
          {!report.dryRun && report.imported === 0 && report.validRows > 0 ? ' (nothing was saved because some rows were rejected)' : ''}
        </Alert>
        {report.rejected.length > 0 && (
          <div>
            <Text fw={600} mb={4}>
              Validation report
            </Text>
            <Text size="sm" c="dimmed" mb="xs">
              Row numbers are as a spreadsheet shows them (the header is row 1). The problem names the rule, never the value.
              {report.problemsTruncated ? ` Only the first ${report.rejected.length} problems are listed.` : ''}
            </Text>
            <ScrollArea.Autosize mah={420} type="auto">
              <Table verticalSpacing={4} fz="sm" striped stickyHeader aria-label="Validation report">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>Row</Table.Th>
                    <Table.Th w={200}>Field</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.rejected.map((problem, index) => (
                    <Table.Tr key={`${problem.row}-${problem.field}-${index}`}>
                      <Table.Td>{problem.row}</Table.Td>
                      <Table.Td>{fieldLabel(problem.field)}</Table.Td>
                      <Table.Td>{problem.problem}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </div>
        )}
      </Stack>
    </Paper>
  );
}
