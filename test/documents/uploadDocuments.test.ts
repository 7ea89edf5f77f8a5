// uploadDocuments (files dropped on the app as bytes): a refused file gets its reason in its own result and
// the rest of the batch is still ingested; two equal files of one batch are one document.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCallHandlers, dispatchCall } from '../../src-main/bridge/createCallHandlers';
import { Enclave } from '../../src-main/core/Enclave';
import type { IngestFileResult } from '../../src-main/core/shared/types';
import { ApiServerController } from '../../src-main/server/ApiServerController';
import { callChannel } from '../../src-preload/contract';
import { useTempDir } from '../support/tempDir';
import { makePdf } from './documentFixtures';

const tempDir = useTempDir('enclave-upload-');

describe('uploadDocuments', () => {
  it('gives each refused file its reason and ingests the rest of the batch', async () => {
    const enclave = Enclave.open({ dataDir: join(tempDir(), 'data'), gpu: false });
    try {
      const handlers = createCallHandlers(enclave, {
        appVersion: 'test',
        apiServer: new ApiServerController(enclave),
        chooseModelFile: async () => null,
        chooseDocumentFiles: async () => [],
        openExternal: async () => {}
      });
      const pdf = await makePdf([['Quarterly figures']]);
      const response = await dispatchCall(handlers, callChannel('uploadDocuments'), {
        files: [
          { name: 'empty.txt', bytes: new Uint8Array() },
          { name: 'q3.pdf', bytes: pdf },
          { name: 'junk.bin.txt', bytes: new Uint8Array([0, 1, 2, 3, 255, 0, 7]) },
          { name: 'q3-copy.pdf', bytes: pdf }
        ],
        collection: 'Reports'
      });
      expect(response.ok).toBe(true);
      const results = (response as { value: IngestFileResult[] }).value;
      expect(results.map(({ source, duplicate, error }) => ({ source, duplicate, error }))).toEqual([
        { source: 'empty.txt', duplicate: false, error: 'empty.txt is empty (0 bytes).' },
        { source: 'q3.pdf', duplicate: false, error: null },
        { source: 'junk.bin.txt', duplicate: false, error: expect.stringMatching(/^junk\.bin\.txt: .*binary data/) },
        { source: 'q3-copy.pdf', duplicate: true, error: null }
      ]);
      expect(results[0]!.document).toBeNull();
      expect(results[3]!.document!.id).toBe(results[1]!.document!.id);
      const [ready] = await enclave.documents.waitUntilSettled([results[1]!.document!.id]);
      expect(ready).toMatchObject({ status: 'ready', collection: 'Reports', name: 'q3.pdf' });
      expect(enclave.documents.listDocuments()).toHaveLength(1);
    } finally {
      await enclave.dispose();
    }
  });
});
