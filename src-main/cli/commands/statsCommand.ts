import type { UsageStats } from '../../core/shared/types';
import { CliUsageError } from '../CliUsageError';
import { openEnclave, parseCommandArgs } from '../options';

const usage = `Usage: enclave stats [--json] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--time-zone ZONE]
                    [--savings-model KIND/MODEL|none] [--data-dir DIR]

Usage, cost, savings and privacy figures of every request made through the app, the CLI,
the local API and documents, as the desktop app's dashboard shows them. Days are calendar
days in --time-zone (an IANA zone such as Europe/Berlin, or an offset such as +02:00; this
machine's zone by default); --since and --until are both included (default: from the first
request to today). Savings value the local requests' tokens at --savings-model's prices
(default: the first priced model of the cloud chain, else openai/gpt-4.1-mini).
--json prints everything: totals, and rows per day, model, source, provider and month.`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function statsCommand(argv: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      since: { type: 'string' },
      until: { type: 'string' },
      'time-zone': { type: 'string' },
      'savings-model': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length) throw new CliUsageError(`Unexpected argument "${positionals[0]}"`, usage);
  for (const flag of ['since', 'until'] as const) {
    const value = values[flag];
    if (value !== undefined && !DATE.test(value))
      throw new CliUsageError(`--${flag} must be a date written YYYY-MM-DD (got "${value}")`, usage);
  }
  const savingsFlag = values['savings-model'];
  const enclave = openEnclave(values['data-dir']);
  try {
    const stats = enclave.metrics.stats({
      from: values.since,
      to: values.until,
      timeZone: values['time-zone'] ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      savingsModel: savingsFlag === 'none' ? null : savingsFlag
    });
    io.stdout.write(values.json ? `${JSON.stringify(stats, null, 2)}\n` : report(stats));
    return 0;
  } finally {
    await enclave.dispose();
  }
}

const usd = (value: number) => `$${value.toFixed(value !== 0 && Math.abs(value) < 0.01 ? 6 : 2)}`;
const int = (value: number) => value.toLocaleString('en-US');
const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);
const rate = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)} tok/s`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The figures for a terminal: totals, then per day and per model. */
function report(stats: UsageStats): string {
  const { totals, range } = stats;
  const share = totals.requests ? Math.round((totals.localRequests / totals.requests) * 100) : 0;
  const lines = [
    `Usage ${range.from} to ${range.to} (${range.timeZone})`,
    '',
    `Requests    ${int(totals.requests)} (${int(totals.localRequests)} local, ${int(totals.cloudRequests)} cloud; ${share}% local) · ${int(totals.answered)} answered, ${int(totals.stopped)} stopped, ${int(totals.failed)} failed, ${int(totals.blocked)} blocked`,
    `Tokens      ${int(totals.promptTokens)} in, ${int(totals.completionTokens)} out`,
    `Cost        ${usd(totals.costUsd)}`,
    `Saved       ${stats.savingsModel ? `${usd(totals.savedUsd)} (local tokens at ${stats.savingsModel.ref} prices)` : '— (no savings model)'}`,
    `Privacy     ${int(totals.sentToCloud)} sent to the cloud, ${int(totals.redactedEntities)} entities redacted, ${int(totals.blockedByPrivacy + totals.blockedByDetection)} blocked by the privacy gate, ${int(totals.blockedByBudget)} by a budget`,
    `Sources     ${stats.sources.map((row) => `${row.source} ${int(row.requests)}`).join(', ') || '—'}`
  ];
  if (totals.requests === 0) return `${lines.join('\n')}\n\nNo requests in this range.\n`;
  const days = stats.days.filter((day) => day.requests > 0);
  lines.push(
    '',
    table(
      ['Day', 'Requests', 'Local', 'Cloud', 'Tokens in', 'Tokens out', 'Cost', 'Saved'],
      days.map((day) => [
        day.day,
        int(day.requests),
        int(day.localRequests),
        int(day.cloudRequests),
        int(day.promptTokens),
        int(day.completionTokens),
        usd(day.costUsd),
        usd(day.savedUsd)
      ])
    ),
    '',
    table(
      ['Model', 'Requests', 'Tokens in', 'Tokens out', 'Cost', 'TTFT p50', 'TTFT p95', 'Speed p50', 'Speed p95'],
      stats.models.map((model) => [
        model.model,
        int(model.requests),
        int(model.promptTokens),
        int(model.completionTokens),
        usd(model.costUsd),
        ms(model.ttftP50Ms),
        ms(model.ttftP95Ms),
        rate(model.tokensPerSecondP50),
        rate(model.tokensPerSecondP95)
      ])
    )
  );
  return `${lines.join('\n')}\n`;
}
