// Ingest throughput of a 1,000,000-row CSV export (~50 MB): the core's
// reader natively, timed inside its own process as the WebAssembly builds
// are (bench/native/ingest.cpp), and the whole `npskit summarize --json`
// command with its process start; in one Node process, the core's streaming reader
// as WebAssembly (the SIMD128 module browsers with SIMD load, and the plain
// one) and as wasm2js (1 MiB chunks read from disk), and PapaParse
// in step mode with the score column scored in JavaScript, which is what a
// page would otherwise use. Best of 3 each; also the WebAssembly module's peak
// memory and the size of what a page downloads.
//
// Prints a markdown section; writes bench/results/ingest.json.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { generateCsv } from './gen-csv.mjs';

const require = createRequire(import.meta.url);
const Papa = require('papaparse');

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const distDir = path.join(repoRoot, 'dist');
const npskit = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');
const nativeBench = path.join(path.dirname(npskit), 'npskit-bench-ingest');
const rows = Number(process.env.NPSKIT_BENCH_ROWS || 1000000);
const runs = 3;
const chunkBytes = 1 << 20;

// Reads the file in 1 MiB chunks, as a page reads a File with Blob.slice.
function forEachChunk(file, use, size = chunkBytes) {
  const descriptor = openSync(file, 'r');
  const buffer = new Uint8Array(size);
  try {
    for (;;) {
      const got = readSync(descriptor, buffer, 0, size, null);
      if (got === 0) return;
      use(buffer.subarray(0, got));
    }
  } finally {
    closeSync(descriptor);
  }
}

function histogramOfSummary(summary) {
  return { n: summary.n, histogram: summary.histogram, rejected: summary.rejected };
}

// Wall time of each run, and the CPU time this process spent (threads
// included); a spawned command's CPU time is not visible from here. A
// measure that times itself (in another process) returns its own time.
async function bestOf(name, measure) {
  const times = [];
  const cpuTimes = [];
  let answer;
  for (let run = 0; run < runs; run += 1) {
    globalThis.gc?.();
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    answer = await measure();
    times.push(answer.timedMs ?? Number(process.hrtime.bigint() - started) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  console.error(`  ${name}: ${times.map((time) => `${time.toFixed(0)} ms`).join(', ')}`);
  return { milliseconds: Math.min(...times), runs: times, cpuTimes, answer };
}

function native(file, flags = []) {
  const run = spawnSync(npskit, ['summarize', '--json', ...flags, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.error || run.status !== 0) {
    throw new Error(`${npskit} summarize failed: ${run.error?.message || run.stderr}`);
  }
  return histogramOfSummary(JSON.parse(run.stdout));
}

// The native reader in its own process, which times itself from opening
// the file to the summary's JSON.
function nativeInProcess(file, themes) {
  const run = spawnSync(nativeBench, [file, '1', ...(themes ? ['themes'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.error || run.status !== 0) {
    throw new Error(`${nativeBench} failed: ${run.error?.message || run.stderr}`);
  }
  const reply = JSON.parse(run.stdout);
  return { ...histogramOfSummary(reply.summary), timedMs: reply.runs_ms[0] };
}

async function loadCore(script, wasm) {
  const factory = require(path.join(distDir, script));
  return factory({ wasmBinary: wasm ? readFileSync(path.join(distDir, wasm)) : undefined });
}

function coreReader(core, file, memory, options = {}, size = chunkBytes) {
  const reader = core.createReader(options);
  forEachChunk(
    file,
    (chunk) => {
      reader.push(chunk);
      memory.peak = Math.max(memory.peak, core.memoryBytes());
    },
    size,
  );
  return histogramOfSummary(reader.finish());
}

// PapaParse's step mode over a file stream; the score column is found by
// name and scored as the core does (an integer 0..10, else rejected).
function papaparse(file, header) {
  return new Promise((resolve, reject) => {
    const histogram = new Array(11).fill(0);
    let rejected = 0;
    let scoreIndex = -1;
    const score = (text) => {
      const value = typeof text === 'string' && /^\s*\d{1,2}\s*$/.test(text) ? Number(text) : NaN;
      if (value >= 0 && value <= 10) histogram[value] += 1;
      else rejected += 1;
    };
    Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: chunkBytes }), {
      header,
      skipEmptyLines: true,
      step: header
        ? (result) => score(result.data.score)
        : (result) => {
            if (scoreIndex < 0) scoreIndex = result.data.indexOf('score');
            else score(result.data[scoreIndex]);
          },
      complete: () =>
        resolve({ n: histogram.reduce((sum, count) => sum + count, 0), histogram, rejected }),
      error: reject,
    });
  });
}

function sizes() {
  return [
    'npskit-core.js',
    'npskit-core.wasm',
    'npskit-core.simd.js',
    'npskit-core.simd.wasm',
    'npskit-core.wasm2js.js',
  ].map((name) => {
    const bytes = readFileSync(path.join(distDir, name));
    return { file: `dist/${name}`, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

const number = (value, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kib = (bytes) => `${number(bytes / 1024, 1)} KiB`;

const loadAverage = loadavg();
const folder = mkdtempSync(path.join(tmpdir(), 'npskit-bench-ingest-'));
try {
  const file = path.join(folder, 'answers.csv');
  console.error(`generating ${number(rows)} rows`);
  const bytes = generateCsv(file, rows);
  const megabytes = bytes / 1e6;

  const wasmCore = await loadCore('npskit-core.js', 'npskit-core.wasm');
  const simdCore = await loadCore('npskit-core.simd.js', 'npskit-core.simd.wasm');
  const simdMemory = { peak: 0 };
  const wasm2jsCore = await loadCore('npskit-core.wasm2js.js');
  const memory = { initial: wasmCore.memoryBytes(), peak: wasmCore.memoryBytes() };
  const wasm2jsMemory = { peak: 0 };

  // The same work as PapaParse with JS scoring (find the score column, count
  // the NPS) first; then the full summary with comment themes, which is what
  // the calculator asks for.
  const scoresOnly = { themes: false };
  const contenders = [
    ['native reader in its process (no themes)', 'native', () => nativeInProcess(file, false)],
    [
      'native `npskit summarize --json --themes 0`, process start included',
      'native_command',
      () => native(file, ['--themes', '0']),
    ],
    [
      'WebAssembly SIMD reader (`createReader`, no themes)',
      'wasm_simd',
      () => coreReader(simdCore, file, simdMemory, scoresOnly),
    ],
    [
      'WebAssembly reader without SIMD (no themes)',
      'wasm',
      () => coreReader(wasmCore, file, memory, scoresOnly),
    ],
    [
      'wasm2js reader (`createReader`, no themes)',
      'wasm2js',
      () => coreReader(wasm2jsCore, file, wasm2jsMemory, scoresOnly),
    ],
    ['native reader, with comment themes', 'native_themes', () => nativeInProcess(file, true)],
    [
      'native `npskit summarize --json`, with comment themes',
      'native_command_themes',
      () => native(file),
    ],
    [
      'WebAssembly SIMD reader, with comment themes',
      'wasm_simd_themes',
      () => coreReader(simdCore, file, simdMemory),
    ],
    [
      'WebAssembly reader without SIMD, with comment themes',
      'wasm_themes',
      () => coreReader(wasmCore, file, memory),
    ],
    ['PapaParse step mode, header row, JS scoring', 'papaparse', () => papaparse(file, true)],
    ['PapaParse step mode, arrays, JS scoring', 'papaparse_arrays', () => papaparse(file, false)],
  ];
  const results = {};
  for (const [label, key, measure] of contenders) {
    const { milliseconds, runs: times, cpuTimes, answer } = await bestOf(key, measure);
    results[key] = {
      label,
      best_ms: milliseconds,
      runs_ms: times,
      cpu_ms: key.startsWith('native') ? null : Math.min(...cpuTimes),
      timed_in: key === 'native' || key === 'native_themes' ? 'its own process' : 'this process',
      mb_per_s: megabytes / (milliseconds / 1000),
      rows_per_s: rows / (milliseconds / 1000),
      answers: answer.n,
      rejected: answer.rejected,
      histogram: answer.histogram,
    };
  }

  // The chunk size the calculator's worker reads a file in: the SIMD reader
  // doing the calculator's work (themes, and the weekly trend from the same
  // pass) on chunks of each size. The module takes a chunk 1 MiB at a time,
  // so the chunk size bounds the worker's JavaScript memory (the chunk read
  // and the next), not the module's.
  const chunkSweep = [];
  for (const size of [64 << 10, 256 << 10, 1 << 20, 4 << 20]) {
    const sweepCore = await loadCore('npskit-core.simd.js', 'npskit-core.simd.wasm');
    const sweepMemory = { peak: 0 };
    const { milliseconds, cpuTimes } = await bestOf(`chunks of ${size >> 10} KiB`, () =>
      coreReader(sweepCore, file, sweepMemory, { trend: 'week' }, size),
    );
    chunkSweep.push({
      chunk_bytes: size,
      best_ms: milliseconds,
      cpu_ms: Math.min(...cpuTimes),
      mb_per_s: megabytes / (milliseconds / 1000),
      wasm_memory_peak_bytes: sweepMemory.peak,
    });
  }

  // Every contender must have counted the same answers, or the timing is moot.
  const reference = JSON.stringify(results.native.histogram);
  for (const [key, result] of Object.entries(results)) {
    if (JSON.stringify(result.histogram) !== reference) {
      throw new Error(`${key} counted ${result.histogram} but the native command ${reference}`);
    }
  }

  const fasterPapaParse = Math.max(results.papaparse.mb_per_s, results.papaparse_arrays.mb_per_s);
  const ratios = {
    wasm_simd_vs_papaparse: results.wasm_simd.mb_per_s / fasterPapaParse,
    wasm_simd_themes_vs_papaparse: results.wasm_simd_themes.mb_per_s / fasterPapaParse,
    wasm_simd_vs_native: results.wasm_simd.mb_per_s / results.native.mb_per_s,
    wasm_simd_vs_wasm: results.wasm_simd.mb_per_s / results.wasm.mb_per_s,
    wasm_vs_papaparse: results.wasm.mb_per_s / fasterPapaParse,
    wasm2js_vs_papaparse: results.wasm2js.mb_per_s / fasterPapaParse,
  };
  const nativeGigabytesPerSecond = results.native.mb_per_s / 1000;
  const nativeCommandGigabytesPerSecond = results.native_command.mb_per_s / 1000;
  const moduleSizes = sizes();
  const report = {
    rows,
    bytes,
    runs,
    chunk_bytes: chunkBytes,
    results,
    chunk_sweep: chunkSweep,
    ratios,
    goals: {
      wasm_simd_vs_papaparse: 10,
      wasm_simd_themes_vs_papaparse: 5,
      native_gb_per_s: 1,
      wasm_simd_vs_native: 0.6,
    },
    native_gb_per_s: nativeGigabytesPerSecond,
    native_command_gb_per_s: nativeCommandGigabytesPerSecond,
    wasm_memory: { initial_bytes: memory.initial, peak_bytes: memory.peak },
    wasm_simd_memory: { peak_bytes: simdMemory.peak },
    wasm2js_memory: { peak_bytes: wasm2jsMemory.peak },
    sizes: moduleSizes,
    environment: {
      node: process.version,
      cpu: cpus()[0]?.model,
      cpus: cpus().length,
      load_average_at_start: loadAverage,
    },
  };
  mkdirSync(path.join(benchDir, 'results'), { recursive: true });
  writeFileSync(
    path.join(benchDir, 'results', 'ingest.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );

  const lines = [
    `## Ingest: ${number(rows)}-row CSV (${number(megabytes, 1)} MB)`,
    '',
    `Best of ${runs}, one Node ${process.version} process, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}. ` +
      'The readers get the file in 1 MiB chunks; every contender counts the same histogram. ' +
      "The first WebAssembly run includes V8's background tier-up from baseline code. " +
      `Load average at start: ${loadAverage.map((load) => number(load, 2)).join(', ')}.`,
    '',
    '| reader | first run | best | MB/s | rows/s | CPU (best) |',
    '|---|---:|---:|---:|---:|---:|',
    ...Object.values(results).map(
      (result) =>
        `| ${result.label} | ${number(result.runs_ms[0])} ms | ${number(result.best_ms)} ms | ` +
        `${number(result.mb_per_s, 1)} | ${number(result.rows_per_s)} | ` +
        `${result.cpu_ms === null ? '–' : `${number(result.cpu_ms)} ms`} |`,
    ),
    '',
    `- WebAssembly SIMD ÷ PapaParse (faster variant), no themes: **${number(ratios.wasm_simd_vs_papaparse, 2)}×** (goal ≥ 10×)`,
    `- WebAssembly SIMD with comment themes ÷ PapaParse: **${number(ratios.wasm_simd_themes_vs_papaparse, 2)}×** (goal ≥ 5×)`,
    `- native reader, no themes: **${number(nativeGigabytesPerSecond, 2)} GB/s** (goal ≥ 1 GB/s; timed in its process from opening the file to the JSON, reads from the page cache included); ` +
      `the whole command, process start included: ${number(nativeCommandGigabytesPerSecond, 2)} GB/s`,
    `- WebAssembly SIMD ÷ native: **${number(ratios.wasm_simd_vs_native, 2)}×** (goal ≥ 0.6×)`,
    `- WebAssembly SIMD ÷ WebAssembly without SIMD: ${number(ratios.wasm_simd_vs_wasm, 2)}×`,
    `- WebAssembly without SIMD ÷ PapaParse: ${number(ratios.wasm_vs_papaparse, 2)}×`,
    `- wasm2js ÷ PapaParse: ${number(ratios.wasm2js_vs_papaparse, 2)}×`,
    `- WebAssembly module memory: ${kib(memory.peak)} at peak, ${kib(memory.initial)} at start` +
      ` (grown by ${kib(memory.peak - memory.initial)} for a ${number(megabytes, 1)} MB file)`,
    '',
    "The SIMD reader with themes and a weekly trend (the calculator's work) by chunk size:",
    '',
    '| chunk | best | MB/s | CPU (best) | WebAssembly memory at peak |',
    '|---:|---:|---:|---:|---:|',
    ...chunkSweep.map(
      (entry) =>
        `| ${kib(entry.chunk_bytes)} | ${number(entry.best_ms)} ms | ${number(entry.mb_per_s, 1)} | ` +
        `${number(entry.cpu_ms)} ms | ${kib(entry.wasm_memory_peak_bytes)} |`,
    ),
    '',
    '| module | raw | gzip -9 |',
    '|---|---:|---:|',
    ...moduleSizes.map((size) => `| \`${size.file}\` | ${kib(size.raw)} | ${kib(size.gzip)} |`),
    '',
  ];
  console.log(lines.join('\n'));
} finally {
  rmSync(folder, { recursive: true, force: true });
}
