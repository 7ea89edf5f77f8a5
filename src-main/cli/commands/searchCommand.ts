import { MAX_K } from '../../core/documents/retrieval/DocumentSearch';
import { CliUsageError } from '../CliUsageError';
import { openEnclave, parseCommandArgs, parsePositiveInt } from '../options';

const usage = `Usage: enclave search "QUERY" [-k N] [--collection NAME] [--json] [--data-dir DIR]

Searches the documents you added (keywords or a question) and prints the best passages first:
the document's name, its page (PDFs) and headings, and the passage. Uses the embedding model set
in the app too, when there is one (hybrid search); otherwise keyword search. -k: how many (default 5,
at most ${MAX_K}). --json prints {"results": [{"documentId", "name", "page", "text", "score",
"relevance", "headingPath"}], "mode"}. Runs offline.`;

export async function searchCommand(argv: string[], io: { stdout: NodeJS.WritableStream }): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'data-dir': { type: 'string' },
      k: { type: 'string', short: 'k' },
      collection: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const query = positionals.join(' ').trim();
  if (!query) throw new CliUsageError('a QUERY is required', usage);
  const k = parsePositiveInt(values.k, 'k', usage);
  if (k !== undefined && k > MAX_K) throw new CliUsageError(`-k must be at most ${MAX_K}`, usage);
  const enclave = openEnclave(values['data-dir']);
  try {
    const { results, mode } = await enclave.documentSearch.search({
      query,
      k,
      collections: values.collection === undefined ? undefined : [values.collection]
    });
    if (values.json) {
      const shaped = results.map(({ documentId, name, page, text, score, relevance, headingPath }) => ({
        documentId,
        name,
        page,
        text,
        score,
        relevance,
        headingPath
      }));
      io.stdout.write(`${JSON.stringify({ results: shaped, mode })}\n`);
      return 0;
    }
    if (!results.length) io.stdout.write('No passage matches.\n');
    results.forEach((hit, i) => {
      const where = [hit.name, hit.page === null ? null : `page ${hit.page}`, hit.headingPath.length ? hit.headingPath.join(' › ') : null];
      io.stdout.write(`${i + 1}. ${where.filter(Boolean).join(', ')}  (relevance ${hit.relevance.toFixed(2)})\n`);
      io.stdout.write(`${hit.text.trim().replace(/\s+/g, ' ')}\n\n`);
    });
    return 0;
  } finally {
    await enclave.dispose();
  }
}
