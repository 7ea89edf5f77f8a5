// The in-app PDF viewer's engine: pdfjs-dist, loaded on first use. Its worker is a bundled file served from
// the app's own origin (Vite's `?url`), which the CSP's script-src 'self' allows, under app:// as over http.
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { findPassage } from './findPassage';

/** One line of text on a rendered page, in CSS pixels from the page's top left corner. */
export interface TextBox {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  highlighted: boolean;
}

async function pdfjs() {
  const [library, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
  library.GlobalWorkerOptions.workerSrc = worker.default;
  return library;
}

export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const { getDocument } = await pdfjs();
  // pdf.js takes ownership of the buffer it is given: hand it a copy so the caller's stays readable.
  return getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false }).promise;
}

/** Draws page `pageNumber` into `canvas` at `scale` and returns its text lines, those of `passage` highlighted. */
export async function renderPage(
  pdf: PDFDocumentProxy,
  pageNumber: number,
  canvas: HTMLCanvasElement,
  scale: number,
  passage: string | null
): Promise<{ width: number; height: number; boxes: TextBox[] }> {
  const { Util } = await pdfjs();
  const page = await pdf.getPage(pageNumber);
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${viewport.width}px`;
  canvas.style.height = `${viewport.height}px`;
  await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;

  const content = await page.getTextContent();
  const items = content.items.filter((item): item is Extract<typeof item, { str: string }> => 'str' in item);
  const highlighted = passage
    ? findPassage(
        items.map((item) => item.str),
        passage
      )
    : new Set<number>();
  const boxes = items.map((item, index) => {
    const [, , c, d, e, f] = Util.transform(viewport.transform, item.transform) as number[];
    const height = Math.hypot(c!, d!);
    return { text: item.str, left: e!, top: f! - height, width: item.width * scale, height, highlighted: highlighted.has(index) };
  });
  return { width: viewport.width, height: viewport.height, boxes: boxes.filter((box) => box.text.trim() !== '') };
}
