// How document formats and statuses read in the Documents view and the chat header.
import type { DocumentFormat, DocumentInfo, DocumentStatus } from '../../../src-main/core/shared/types';

export const formatLabels: Record<DocumentFormat, string> = {
  pdf: 'PDF',
  docx: 'Word',
  markdown: 'Markdown',
  text: 'Text',
  html: 'HTML',
  csv: 'CSV'
};

export const statusLabels: Record<DocumentStatus, string> = {
  queued: 'Queued',
  parsing: 'Parsing',
  embedding: 'Embedding',
  ready: 'Ready',
  failed: 'Failed'
};

/** Still on its way to ready: it shows a progress bar. */
export const isInProgress = (document: Pick<DocumentInfo, 'status'>) =>
  document.status === 'queued' || document.status === 'parsing' || document.status === 'embedding';
