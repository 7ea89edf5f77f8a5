/** Saves text as a file through the browser's download (Electron asks where to save it). */
export function downloadFile({ fileName, mimeType, content }: { fileName: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled; the download keeps its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
