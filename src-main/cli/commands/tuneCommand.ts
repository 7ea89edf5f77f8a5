import { coreFlags, loadModelFromFlags, openEnclave, parseCommandArgs, requireModelFlag } from '../options';

const usage = `Usage: enclave tune --model PATH [--data-dir DIR] [--force] [--gpu-layers auto|N]

Measures generation speed at several thread counts on this model and machine, keeps the
fastest, and caches the result (per model file and machine) for the app and the CLI.`;

export async function tuneCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...coreFlags, force: { type: 'boolean' } }, usage);
  if (values.help) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const modelPath = requireModelFlag(values.model, usage);
  const enclave = openEnclave(values['data-dir']);
  try {
    await loadModelFromFlags(enclave, modelPath, { ...values, threads: undefined }, usage);
    const unsubscribe = enclave.events.on('tuneProgress', ({ threads, tokensPerSecond, step, steps }) =>
      io.stderr.write(`[${step}/${steps}] ${threads} thread${threads === 1 ? '' : 's'}: ${tokensPerSecond.toFixed(1)} tok/s\n`)
    );
    const result = await enclave.engine.tuneThreads({ force: values.force });
    unsubscribe();
    if (result.cached) io.stderr.write('(cached result; --force measures again)\n');
    for (const sample of result.samples)
      io.stdout.write(
        `${String(sample.threads).padStart(3)} threads  ${sample.tokensPerSecond.toFixed(1).padStart(8)} tok/s${sample.threads === result.best ? '  ← best' : ''}\n`
      );
    io.stdout.write(`best: ${result.best} thread${result.best === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    await enclave.dispose();
  }
}
