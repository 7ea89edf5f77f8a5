import { documentsSearchRoute } from './enclave/documentsSearch';
import { askDocumentsRoute, compareDocumentsRoute, extractDocumentRoute, summarizeDocumentRoute } from './enclave/documentTools';
import { deleteDocumentRoute, getDocumentRoute, listDocumentsRoute, uploadDocumentRoute } from './enclave/documents';
import { privacyRedactRoute } from './enclave/privacyRedact';
import { chatCompletionsRoute } from './openai/chatCompletions';
import { completionsRoute } from './openai/completions';
import { embeddingsRoute } from './openai/embeddings';
import { getModelRoute, listModelsRoute } from './openai/models';
import type { AnyRoute } from './routes';

/** Every route the API serves; each inherits every check of the request pipeline (handleApiRequest). */
export const API_ROUTES: readonly AnyRoute[] = [
  listModelsRoute,
  getModelRoute,
  chatCompletionsRoute,
  completionsRoute,
  embeddingsRoute,
  privacyRedactRoute,
  listDocumentsRoute,
  uploadDocumentRoute,
  getDocumentRoute,
  deleteDocumentRoute,
  documentsSearchRoute,
  askDocumentsRoute,
  compareDocumentsRoute,
  summarizeDocumentRoute,
  extractDocumentRoute
];
