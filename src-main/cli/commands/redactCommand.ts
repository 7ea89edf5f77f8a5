import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../core/Enclave';
import { resolveDataDir } from '../../core/paths';
import { PrivacyService, type RedactedText } from '../../core/privacy/PrivacyService';
import { openEnclave, parseCommandArgs } from '../options';
import { readAll } from '../readAll';

const usage = `Usage: enclave redact [--json] [--data-dir DIR] [--no-dictionary] < input.txt

Reads text on stdin and prints it with personal data replaced by typed placeholders
([PERSON_1], [EMAIL_1]…). With --json prints {"text": "...", "entities": [{"type", "start", "end", "score"}]},
where start and end index the input (JavaScript string indices, end exclusive). Runs offline.

The user dictionary saved in the data folder (terms always or never redacted, as set in the app) applies,
as it does in the app and in POST /v1/privacy/redact. --no-dictionary redacts without it.`;

const REDACT_BUDGET_MS = 120_000;

export async function redactCommand(argv: string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'no-dictionary': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const text = await readAll(io.stdin);
  const result = await redactWithDictionary(text, { dataDirFlag: values['data-dir'], useDictionary: !values['no-dictionary'] });
  io.stdout.write(values.json ? `${JSON.stringify(result)}\n` : result.text);
  return 0;
}

/** With the data folder's dictionary when there is one; a folder never opened by the app is not created for this. */
async function redactWithDictionary(
  text: string,
  { dataDirFlag, useDictionary }: { dataDirFlag?: string; useDictionary: boolean }
): Promise<RedactedText> {
  const dataDir = resolveDataDir(dataDirFlag);
  if (!useDictionary || !existsSync(join(dataDir, DATABASE_FILE)))
    return new PrivacyService().redact(text, { timeBudgetMs: REDACT_BUDGET_MS });

  const enclave = openEnclave(dataDirFlag);
  try {
    return await enclave.privacy.redact(text, { timeBudgetMs: REDACT_BUDGET_MS });
  } finally {
    await enclave.dispose();
  }
}
