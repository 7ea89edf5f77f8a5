import { coreFlags, loadModelFromFlags, openEnclave, parseCommandArgs, parsePositiveInt, requireModelFlag } from '../options';
import { CliUsageError } from '../CliUsageError';
import { readAll } from '../readAll';
import type { Message, ModelInfo } from '../../core/shared/types';

const usage = `Usage: enclave chat --model PATH|ID [--data-dir DIR] [--max-tokens N] [--conversation ID]
                    [--system TEXT] [--threads N] [--gpu-layers auto|N] [--context-size N] "prompt"
       enclave chat --cloud PROVIDER/MODEL|auto [--model PATH] [...] "prompt"

Streams the reply to stdout, saves the exchange as a conversation the desktop app shows,
and prints a one-line summary to stderr. Use "-" as the prompt to read it from stdin.
--cloud sends the conversation to a cloud model (see "enclave provider") through the privacy
gate, under the global privacy mode; with "auto", --model gives the local model to route to.`;

export async function chatCommand(
  argv: string[],
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...coreFlags,
      'max-tokens': { type: 'string' },
      conversation: { type: 'string' },
      system: { type: 'string' },
      cloud: { type: 'string' }
    },
    usage
  );
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const prompt = positionals.join(' ') === '-' ? await readAll(io.stdin) : positionals.join(' ');
  if (!prompt.trim()) throw new CliUsageError('A prompt is required', usage);
  const maxTokens = parsePositiveInt(values['max-tokens'], 'max-tokens', usage);
  const modelPath = values.cloud ? values.model : requireModelFlag(values.model, usage);

  const enclave = openEnclave(values['data-dir']);
  const interrupt = () => enclave.chat.stopAll();
  process.once('SIGINT', interrupt);
  try {
    const model = modelPath ? await loadModelFromFlags(enclave, modelPath, values, usage) : null;
    const conversation = values.conversation
      ? enclave.conversations.get(values.conversation)
      : enclave.chat.createConversation({ systemPrompt: values.system });
    if (values.conversation && values.system !== undefined)
      enclave.conversations.updateSettings(conversation.id, { systemPrompt: values.system });
    if (maxTokens) enclave.conversations.updateSettings(conversation.id, { sampling: { maxTokens } });
    if (values.cloud) enclave.chat.updateSettings(conversation.id, { model: values.cloud });

    const exchange = enclave.chat.send(conversation.id, prompt, { source: 'cli' });
    const unsubscribe = enclave.events.on('chatToken', ({ messageId, text }) => {
      if (messageId === exchange.assistantMessage.id) io.stdout.write(text);
    });
    const reply = await exchange.finished;
    unsubscribe();
    io.stdout.write('\n');
    io.stderr.write(`${summaryLine(reply, model, conversation.id)}\n`);
    if (reply?.status === 'error') return 1;
    return reply?.status === 'stopped' ? 130 : 0;
  } finally {
    process.off('SIGINT', interrupt);
    await enclave.dispose();
  }
}

function summaryLine(reply: Message | null, local: ModelInfo | null, conversationId: string): string {
  const m = reply?.metrics;
  const cloud = m?.backend === 'cloud';
  const parts = [
    cloud ? m.model : (local?.name ?? '?'),
    cloud ? `cloud via ${m.provider}` : `${m?.backend ?? '?'} (${local?.offloadedLayers ?? 0}/${local?.totalLayers ?? 0} layers on GPU)`,
    m ? `prompt ${m.promptTokens} tok` : null,
    m ? `completion ${m.completionTokens} tok` : null,
    m?.timeToFirstTokenMs != null ? `first token ${m.timeToFirstTokenMs.toFixed(0)} ms` : null,
    m ? `${m.tokensPerSecond.toFixed(1)} tok/s` : null,
    m?.costUsd != null ? `$${m.costUsd.toFixed(6)}` : null,
    reply?.status && reply.status !== 'complete' ? reply.status + (reply.error ? `: ${reply.error}` : '') : null,
    `conversation ${conversationId}`
  ];
  return parts.filter(Boolean).join(' · ');
}
