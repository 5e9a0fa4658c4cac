// The one shape every export takes (shred ledger, audit log): a titled table
// with a few facts above it and totals, rendered to CSV or PDF and signed.
// Cells are plain strings already formatted for people; renderers never look
// inside them.

export interface ExportColumn {
  header: string;
  /** Share of the page width, relative to the other columns. */
  width: number;
}

export interface ExportTable {
  /** File names: `${fileStem}.pdf`, `${fileStem}.csv`. */
  fileStem: string;
  title: string;
  /** Lines under the title: station, period, who exported it and when. */
  facts: readonly (readonly [label: string, value: string])[];
  totals: readonly (readonly [label: string, value: string])[];
  columns: readonly ExportColumn[];
  rows: readonly (readonly string[])[];
  /** Printed only: a first column numbering the rows 1, 2, 3 … under this heading (a record's own number may skip). */
  numbered?: string;
  /** Printed only: a line to sign, or stamp, for each of these, under the signatures. */
  signLines?: readonly string[];
  /** The station's zone: the PDF gives signing times in it, with its offset. */
  timeZone?: string;
}
