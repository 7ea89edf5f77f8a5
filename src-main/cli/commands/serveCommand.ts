import { coreFlags, loadModelFromFlags, openEnclave, parseCommandArgs } from '../options';

const usage = `Usage: enclave serve [--data-dir DIR] [--model PATH] [--threads N] [--gpu-layers auto|N]

Starts Enclave's core without a window and keeps it running until Ctrl+C.`;

export async function serveCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseCommandArgs(argv, coreFlags, usage);
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const enclave = openEnclave(values['data-dir']);
  try {
    const model = values.model ? await loadModelFromFlags(enclave, values, usage) : null;
    const status = await enclave.engine.status();
    io.stdout.write(
      `Enclave core running · data ${enclave.dataDir} · backend ${status.backend}` +
        (model ? ` · model ${model.name} (${model.offloadedLayers}/${model.totalLayers} layers on GPU, ${model.threads} threads)` : ' · no model loaded') +
        '\nPress Ctrl+C to stop.\n'
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  } finally {
    await enclave.dispose();
  }
}
