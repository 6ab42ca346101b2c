// Types of npskit/core: the scoring core, loaded in a page or worker.
import type { IntervalMethod, Summary } from './index.js';

export type Answers =
  | { promoters: number; passives: number; detractors: number }
  | { histogram: ArrayLike<number> }
  | { scores: ArrayLike<number> }
  | ArrayLike<number>;

export interface SummaryOptions {
  method?: IntervalMethod;
  confidence?: number;
  bands?: Array<{ name: string; lower: number }>;
  themes?: boolean | number;
}

export interface ReaderOptions extends SummaryOptions {
  format?: 'csv' | 'tsv' | 'json' | 'jsonl';
  by?: 'segment' | 'day' | 'week' | 'month';
  /** The same answers also grouped by this period in the same pass: finish() gives it as .trend (no themes, no minimum group size). */
  trend?: 'day' | 'week' | 'month';
  scoreColumn?: string;
  weightColumn?: string;
  segmentColumn?: string;
  /** With by: 'segment': each column alone and every two crossed. */
  segmentColumns?: string[];
  dateColumn?: string;
  commentColumn?: string;
  csatColumn?: string;
  cesColumn?: string;
  /** Groups with fewer answers are listed but not tested. */
  minGroupSize?: number;
  /** Groups too small to stay anonymous are left out (Summary.folded says how many). */
  foldGroupsBelow?: number;
  /** How many rejected rows are listed with their reason (100). */
  maxRejections?: number;
  /** Periods in this fixed offset from UTC, e.g. "+02:00". */
  utcOffset?: string;
  /** How to read 01.03.2026 and 03/01/2026. */
  dateOrder?: 'dmy' | 'mdy';
}

export interface Reader {
  push(chunk: Uint8Array | string): { bytes: number; records: number; rejected: number };
  finish(): Summary & { trend?: Summary };
  abort(): void;
}

/** The result of a two-group or benchmark test (npskit.comparison/1, npskit.benchmark-comparison/1). */
export interface Comparison {
  schema: string;
  method: string;
  diff: number;
  adjusted_diff?: number;
  se: number;
  z: number;
  p_value: number;
  confidence: number;
  significant: boolean;
  [field: string]: unknown;
}

export interface NpsError extends Error {
  name: 'NpsError';
  code: string;
}

/** The core's API; every number in it comes from the C++ core. */
export interface Core {
  summarize(answers: Answers, options?: SummaryOptions): Summary;
  compare(a: Answers, b: Answers, options?: SummaryOptions): Comparison;
  compareToBenchmark(answers: Answers, benchmark: number, options?: SummaryOptions): Comparison;
  sampleSize(options: { margin?: number; difference?: number; [option: string]: unknown }): {
    n: number;
    variance: number;
    z: number;
    [field: string]: unknown;
  };
  zForConfidence(confidence: number): number;
  classify(score: number): 'detractor' | 'passive' | 'promoter';
  scoreCategories: ReadonlyArray<'detractor' | 'passive' | 'promoter'>;
  defaultBands(): Array<{ name: string; lower: number }>;
  checkBands(bands: Array<{ name: string; lower: number }>): Array<{ name: string; lower: number }>;
  defaultMethod: IntervalMethod;
  defaultConfidence: number;
  parseScores(text: string): {
    histogram: number[];
    rejected: number;
    rejections: Array<{ line: number; reason: string }>;
  };
  createReader(options?: ReaderOptions): Reader;
  /** Each column's name, up to three sample values and what its values look like, from a file's first bytes (1 MiB at most). */
  profileColumns(
    input: string | Uint8Array | ArrayBuffer | ArrayBufferView,
    options?: { format?: 'csv' | 'tsv' | 'json' | 'jsonl'; truncated?: boolean },
  ): ColumnsProfile;
  memoryBytes(): number;
  version: string;
  NpsError: new (code: string, message: string) => NpsError;
}

/**
 * Loads the core from `path` (the folder where the site serves this
 * package's dist/ files; default "/npskit/"): WebAssembly where the page may
 * compile it, else its plain-JavaScript build. One cached promise per page.
 */
export function loadCore(path?: string): Promise<{ core: Core; engine: 'wasm' | 'wasm2js' }>;

/** What a column holds; each flag is true when every non-blank value read has that shape. */
export interface ColumnProfile {
  name: string;
  samples: string[];
  values: number;
  distinct: number;
  /** Whole numbers 0..10: a score candidate. */
  scores: boolean;
  /** Whole numbers 1..5. */
  csat: boolean;
  /** Whole numbers 1..7. */
  ces: boolean;
  numbers: boolean;
  /** Dates or timestamps: ISO-8601, D.M.YYYY, M/D/YYYY. */
  dates: boolean;
  /** Long or varied text: a comment candidate. */
  free_text: boolean;
  /** Few distinct values that repeat: a segment candidate. */
  few_values: boolean;
}

export interface ColumnsProfile {
  rows: number;
  columns: ColumnProfile[];
}
