import type { MessageSource } from '../../core/shared/types';
import { CliUsageError } from '../CliUsageError';
import { documentModelUsage, prepareDocumentModel } from '../documentModelFlag';
import { coreFlags, openEnclave, parseCommandArgs } from '../options';
import { readAll } from '../readAll';

const usage = `Usage: enclave ask "QUESTION" [--collection NAME] [--model local|auto|PROVIDER/MODEL|PATH|ID] [--json]
                  [--data-dir DIR] [--threads N] [--gpu-layers auto|N] [--context-size N]

Answers a question from the documents you added (one collection, or all of them): the passages that
match are found, and the model writes the answer from those alone, citing them as [n]. The answer
streams to stdout, then the sources it cites (document, page). When no passage is relevant enough it
says so and no model is asked. It is saved as a conversation the app shows. "-" reads the question
from stdin. --json prints {"answer", "sources": [{"n", "documentId", "name", "page", "text"}],
"nothingRelevant", "model", "conversationId"} instead.
${documentModelUsage}`;

export async function askCommand(
  argv: string[],
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...coreFlags, collection: { type: 'string' }, json: { type: 'boolean' } },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const question = (positionals.join(' ') === '-' ? await readAll(io.stdin) : positionals.join(' ')).trim();
  if (!question) throw new CliUsageError('a QUESTION is required', usage);

  const enclave = openEnclave(values['data-dir']);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const model = await prepareDocumentModel(enclave, values, usage);
    const answer = await enclave.documentAsk.ask({
      question,
      collection: values.collection,
      model,
      source: 'cli',
      signal: controller.signal,
      onText: values.json ? undefined : (text) => io.stdout.write(text)
    });
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({
          answer: answer.answer,
          sources: answer.sources.map(({ n, documentId, documentName, page, excerpt }) => ({
            n,
            documentId,
            name: documentName,
            page,
            text: excerpt
          })),
          nothingRelevant: answer.nothingRelevant,
          model: answer.model,
          conversationId: answer.conversationId
        })}\n`
      );
    } else {
      io.stdout.write('\n');
      if (answer.sources.length) io.stdout.write(`\nSources:\n${answer.sources.map(sourceLine).join('\n')}\n`);
      else if (answer.excerpts.length) io.stdout.write(`\nNo source cited. Written from:\n${answer.excerpts.map(sourceLine).join('\n')}\n`);
    }
    if (answer.status === 'error') {
      io.stderr.write(`enclave ask: ${answer.error}\n`);
      return 1;
    }
    return answer.status === 'stopped' ? 130 : 0;
  } finally {
    process.off('SIGINT', interrupt);
    await enclave.dispose();
  }
}

function sourceLine(source: MessageSource): string {
  const where = [source.documentName, source.page === null ? null : `page ${source.page}`, source.headingPath.join(' › ') || null];
  return `[${source.n}] ${where.filter(Boolean).join(', ')}`;
}
