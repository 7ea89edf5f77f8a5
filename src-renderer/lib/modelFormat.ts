// Words for the model manager: fit verdicts, download speed and time left.
import type { DownloadInfo, FitVerdict, ModelFit, SpeedClass } from '../../src-main/core/shared/types';
import { formatBytes } from './format';

const verdictLabels: Record<FitVerdict, string> = {
  gpu: 'Fits on the GPU',
  cpu: 'CPU only',
  no: 'Will not fit'
};

const speedLabels: Record<SpeedClass, string> = { fast: ' · fast', moderate: ' · moderate speed', slow: ' (slow)' };

/** "Fits on the GPU · fast", "CPU only (slow)", "CPU only · moderate speed", "Will not fit". */
export function fitLabel(fit: ModelFit): string {
  const verdict = verdictLabels[fit.verdict];
  return fit.speedClass && fit.verdict !== 'no' ? `${verdict}${speedLabels[fit.speedClass]}` : verdict;
}

/** "1 h 4 min", "3 min 10 s", "42 s". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${rest} s`;
  return `${rest} s`;
}

export const formatSpeed = (bytesPerSecond: number) => `${formatBytes(bytesPerSecond)}/s`;

/** Received of total, the speed and the time left, as far as they are known. */
export function downloadFigures(download: DownloadInfo): string {
  const parts = [
    download.totalBytes === null
      ? formatBytes(download.receivedBytes)
      : `${formatBytes(download.receivedBytes)} of ${formatBytes(download.totalBytes)}`
  ];
  if (download.status === 'downloading') {
    parts.push(formatSpeed(download.bytesPerSecond));
    parts.push(download.etaSeconds === null ? 'time left unknown' : `${formatDuration(download.etaSeconds)} left`);
  }
  return parts.join(' · ');
}

const statusLabels: Record<DownloadInfo['status'], string> = {
  queued: 'Queued',
  downloading: 'Downloading',
  paused: 'Paused',
  verifying: 'Checking the file',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled'
};

export const downloadStatusLabel = (status: DownloadInfo['status']) => statusLabels[status];

/** A download the user can still act on (pause, resume, cancel), as opposed to a finished one. */
export const isActiveDownload = (download: DownloadInfo) =>
  download.status === 'queued' || download.status === 'downloading' || download.status === 'paused' || download.status === 'verifying';
