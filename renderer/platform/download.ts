// A file made in main (an export) saved through the browser's own download:
// an <a download> on a blob URL, which Electron and Chromium both treat as a
// download, not a navigation.
export function saveFile(fileName: string, content: Uint8Array | string, type: string): void {
  // A copy: Blob wants bytes backed by a plain ArrayBuffer.
  const part = typeof content === 'string' ? content : new Uint8Array(content);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download holds its own reference once started; the URL need not outlive it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
