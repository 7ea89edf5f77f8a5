import { afterEach, describe, expect, it } from 'vitest';
import { Enclave } from '../src-main/core/Enclave';
import type { DownloadInfo } from '../src-main/core/shared/types';
import { ModelFileServer } from './support/ModelFileServer';
import { useTempDir } from './support/tempDir';
import { ensureTestModel } from './support/writeTestModel';

const tempDir = useTempDir('enclave-download-progress-');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('download progress events', () => {
  it('report bytes that arrived right after an event even when the connection then stalls', async () => {
    const server = await ModelFileServer.start(await ensureTestModel());
    cleanups.push(() => server.close());
    const enclave = Enclave.open({ dataDir: tempDir(), gpu: false });
    cleanups.push(() => enclave.dispose());
    // Half the file in one burst, just after the "downloading" event, then nothing until released.
    const half = Math.floor(server.bytes.length / 2);
    const hold = server.holdNextResponse(half);
    const seenHalf = new Promise<DownloadInfo>((resolve) => {
      enclave.events.on('downloadProgress', ({ download }) => {
        if (download.status === 'downloading' && download.receivedBytes === half) resolve(download);
      });
    });

    const started = await enclave.downloads.start(server.url('stalls.gguf'));
    const stalled = await seenHalf;
    expect(stalled).toMatchObject({ id: started.id, totalBytes: server.bytes.length });

    hold.release();
    expect(await enclave.downloads.settled(started.id)).toMatchObject({ status: 'done', receivedBytes: server.bytes.length });
  });
});
