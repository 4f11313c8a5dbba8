// Saving a plot from the page: a browser download of the files src-preload/contract/plot-files.ts makes.
/** Saves a file the way a browser does: the workbench's page and Electron both handle it. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from the plot's title: letters, digits and dashes. */
export function fileStem(title: string | undefined): string {
  const stem = (title ?? 'plot').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return stem || 'plot';
}
