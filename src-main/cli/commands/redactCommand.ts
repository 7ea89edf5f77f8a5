import { PrivacyService } from '../../core/privacy/PrivacyService';
import { parseCommandArgs } from '../options';
import { readAll } from '../readAll';

const usage = `Usage: enclave redact [--json] < input.txt

Reads text on stdin and prints it with personal data replaced by typed placeholders
([PERSON_1], [EMAIL_1]…). With --json prints {"text": "...", "entities": [{"type", "start", "end", "score"}]},
where start and end index the input (JavaScript string indices, end exclusive). Runs offline.`;

export async function redactCommand(argv: string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, usage);
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const result = await new PrivacyService().redact(await readAll(io.stdin), { timeBudgetMs: 120_000 });
  io.stdout.write(values.json ? `${JSON.stringify(result)}\n` : result.text);
  return 0;
}
