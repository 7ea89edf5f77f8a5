// A host killed mid-ingestion (documentRecovery.test.ts): opens the data folder, saves a conversation,
// ingests the files given, and says PARSING once all are queued and the first is being parsed. The test kills it then.
import { Enclave } from '../../src-main/core/Enclave';

const [dataDir, ...paths] = process.argv.slice(2);
const enclave = Enclave.open({ dataDir: dataDir!, gpu: false });
enclave.conversations.create({ title: 'Kept across the crash' });
// Killed only once every file is queued, so the test knows which documents exist.
let parsing: string | null = null;
let intakeDone = false;
const report = () => process.stdout.write(`PARSING ${parsing}\n`);
enclave.events.on('documentProgress', ({ status, documentId }) => {
  if (status !== 'parsing' || parsing) return;
  parsing = documentId;
  if (intakeDone) report();
});
await enclave.documents.ingestFiles({ paths });
intakeDone = true;
if (parsing) report();
