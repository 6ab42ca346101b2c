// The calculator in Chromium on a 1,000,000-row CSV export (about 50 MB):
// from choosing the file to rendered results, through the core's streaming
// reader in the page's worker (the real calculator) versus PapaParse with
// JavaScript scoring on the main thread (what a page would otherwise do), in
// the same browser and run. Also the peak JS heap, the WebAssembly memory and
// the longest main-thread task while reading (longtask entries).
import { mkdtemp, rm, writeFile, mkdir, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generateSampleExport } from '../demo/src/sample-data.mjs';
import { launchBrowser, repoRoot, startServer } from '../tests/e2e/support.mjs';

const rows = Number(process.env.NPSKIT_BENCH_ROWS || 1_000_000);
const runs = Number(process.env.NPSKIT_BENCH_RUNS || 3);
const resultsFile = path.join(repoRoot, 'bench', 'results', 'calculator.json');
const megabyte = 1024 * 1024;

// Collects longtask entries and samples the page's JS heap from inside the
// page; the worker's WebAssembly memory comes back with the read's result.
function instrument() {
  window.benchState = { tasks: [], heapPeak: 0, sampling: false };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      window.benchState.tasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const sample = () => {
    if (window.benchState.sampling)
      window.benchState.heapPeak = Math.max(
        window.benchState.heapPeak,
        performance.memory.usedJSHeapSize,
      );
    setTimeout(sample, 20);
  };
  sample();
}

async function measureWasm(page, file) {
  await page.goto(`${process.env.BENCH_ORIGIN}/dist/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.evaluate(instrument);
  await page.click('#tab-file');
  await page.evaluate(() => {
    window.benchState.done = new Promise((resolve) => {
      document.querySelector('#file-input').addEventListener(
        'change',
        () => {
          window.benchState.start = performance.now();
          window.benchState.sampling = true;
        },
        { capture: true, once: true },
      );
      const status = document.querySelector('#file-status');
      new MutationObserver((_, observer) => {
        if (!status.textContent.startsWith('Read ')) return;
        observer.disconnect();
        window.benchState.read = performance.now();
        // Results count as rendered once the next frame is painted.
        requestAnimationFrame(() =>
          setTimeout(() => {
            window.benchState.end = performance.now();
            window.benchState.sampling = false;
            resolve();
          }),
        );
      }).observe(status, { childList: true, characterData: true, subtree: true });
    });
  });
  await page.setInputFiles('#file-input', file);
  await page.evaluate(() => window.benchState.done);
  return page.evaluate(() => {
    const { start, read, end, tasks, heapPeak } = window.benchState;
    // The status turns to "Read" at the end of the task that receives the
    // summaries and renders them; every task that ended before it ran while
    // the workers were reading.
    const overlapping = tasks.filter(
      (task) => task.start + task.duration >= start && task.start <= read,
    );
    const rendering = overlapping.filter((task) => task.start + task.duration >= read - 2);
    const reading = overlapping.filter((task) => !rendering.includes(task));
    return {
      milliseconds: end - start,
      longestTask: Math.max(0, ...reading.map((task) => task.duration)),
      renderTask: Math.max(0, ...rendering.map((task) => task.duration)),
      heapPeak,
      nps: Number(document.querySelector('#numbers-table [data-stat="nps"]').textContent),
      n: Number(
        document.querySelector('#numbers-table [data-stat="n"]').textContent.replace(/,/g, ''),
      ),
      wasmMemory: Number(document.querySelector('#engine-note').dataset.memory) || null,
    };
  });
}

// The alternative: PapaParse streaming the file on the main thread, scoring
// in JavaScript (overall, per segment and per ISO week, like the calculator).
async function measurePapa(page, file) {
  await page.goto(`${process.env.BENCH_ORIGIN}/dist/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.addScriptTag({ url: '/node_modules/papaparse/papaparse.min.js' });
  await page.evaluate(instrument);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'papa-input';
    document.body.append(input);
    const output = document.createElement('p');
    output.id = 'papa-output';
    document.body.append(output);
    const isoWeek = (text) => {
      const date = new Date(
        Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10))),
      );
      const day = date.getUTCDay() || 7;
      date.setUTCDate(date.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
      return `${date.getUTCFullYear()}-W${String(Math.ceil(((date - yearStart) / 864e5 + 1) / 7)).padStart(2, '0')}`;
    };
    window.benchState.done = new Promise((resolve) => {
      input.addEventListener('change', () => {
        window.benchState.start = performance.now();
        window.benchState.sampling = true;
        const overall = new Array(11).fill(0);
        const segments = new Map();
        const weeks = new Map();
        let rejected = 0;
        const add = (groups, key, score) => {
          if (!groups.has(key)) groups.set(key, new Array(11).fill(0));
          groups.get(key)[score] += 1;
        };
        window.Papa.parse(input.files[0], {
          header: true,
          skipEmptyLines: true,
          chunkSize: 1 << 20,
          chunk: (results) => {
            for (const row of results.data) {
              if (row.type === 'dismissal') continue;
              const score = Number(row.score);
              if (row.score === '' || !Number.isInteger(score) || score < 0 || score > 10) {
                rejected += 1;
                continue;
              }
              overall[score] += 1;
              add(segments, row.segment || '(none)', score);
              add(weeks, isoWeek(row.submitted_at), score);
            }
          },
          complete: () => {
            const n = overall.reduce((sum, value) => sum + value, 0);
            const promoters = overall[9] + overall[10];
            const detractors = overall.slice(0, 7).reduce((sum, value) => sum + value, 0);
            output.textContent = `NPS ${((100 * (promoters - detractors)) / n).toFixed(2)} n ${n} rejected ${rejected} segments ${segments.size} weeks ${weeks.size}`;
            requestAnimationFrame(() =>
              setTimeout(() => {
                window.benchState.end = performance.now();
                window.benchState.sampling = false;
                resolve({ n, nps: (100 * (promoters - detractors)) / n });
              }),
            );
          },
        });
      });
    });
  });
  await page.setInputFiles('#papa-input', file);
  const { n, nps } = await page.evaluate(() => window.benchState.done);
  return page.evaluate(
    ([count, score]) => {
      const { start, end, tasks, heapPeak } = window.benchState;
      const during = tasks.filter(
        (task) => task.start + task.duration >= start && task.start <= end,
      );
      return {
        milliseconds: end - start,
        longestTask: Math.max(0, ...during.map((task) => task.duration)),
        heapPeak,
        n: count,
        nps: score,
      };
    },
    [n, nps],
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mb = (bytes) => (bytes / megabyte).toFixed(1);

const folder = await mkdtemp(path.join(tmpdir(), 'npskit-bench-'));
const file = path.join(folder, 'export-1m.csv');
try {
  await writeFile(
    file,
    generateSampleExport({ rows, dismissalRate: 0, seed: 42, start: '2025-01-06', days: 700 }),
  );
  const size = (await stat(file)).size;
  const server = await startServer({ root: repoRoot });
  process.env.BENCH_ORIGIN = server.url;
  const browser = await launchBrowser({
    args: [
      '--enable-precise-memory-info',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage();
  const results = { wasm: [], papa: [] };
  try {
    for (let run = 0; run < runs; run += 1) {
      results.wasm.push(await measureWasm(page, file));
      results.papa.push(await measurePapa(page, file));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (results.wasm.some((run) => run.n !== results.papa[0].n)) {
    throw new Error(
      `the two paths counted different answers: ${results.wasm[0].n} vs ${results.papa[0].n}`,
    );
  }
  const summary = (list) => ({
    milliseconds: Math.round(median(list.map((run) => run.milliseconds))),
    megabytesPerSecond: Number(
      (size / megabyte / (median(list.map((run) => run.milliseconds)) / 1000)).toFixed(1),
    ),
    longestMainThreadTaskMs: Math.round(Math.max(...list.map((run) => run.longestTask))),
    renderTaskMs:
      list[0].renderTask === undefined
        ? null
        : Math.round(Math.max(...list.map((run) => run.renderTask))),
    peakPageHeapBytes: Math.max(...list.map((run) => run.heapPeak)),
    wasmMemoryBytes: list[0].wasmMemory,
  });
  const wasm = summary(results.wasm);
  const papa = summary(results.papa);
  const report = {
    rows,
    bytes: size,
    runs,
    browser: 'Chromium (headless, Debian)',
    wasmReaderInWorker: wasm,
    papaParseOnMainThread: papa,
    speedup: Number((papa.milliseconds / wasm.milliseconds).toFixed(1)),
    nps: results.wasm[0].nps,
    loadAverage: Number(loadavg()[0].toFixed(2)),
  };
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  const line = (name, value) =>
    `| ${name} | ${(value.milliseconds / 1000).toFixed(2)} s | ${value.megabytesPerSecond} MB/s | ` +
    `${value.longestMainThreadTaskMs} ms | ${mb(value.peakPageHeapBytes)} MB | ` +
    `${value.wasmMemoryBytes ? `${mb(value.wasmMemoryBytes)} MB` : '–'} |`;
  const verdict = (ok) => (ok ? 'met' : 'not met');
  console.log(`## Calculator: ${rows.toLocaleString('en-US')}-row CSV (${mb(size)} MB) in Chromium

From choosing the file to rendered results, median of ${runs} runs: overall, segments, weekly trend and
comment themes. The calculator reads the file once, with one core reader (overall and segments, and the trend
from the same pass) in one worker, fed the file's chunks by a second worker that reads the Blob.
Machine load average when started: ${report.loadAverage}.

| path | time | throughput | longest main-thread task while reading | peak page JS heap | WebAssembly memory |
|---|---|---|---|---|---|
${line('npskit core (WASM) streaming reader in a Web Worker', wasm)}
${line('PapaParse + JavaScript scoring on the main thread', papa)}

- Speed: the WASM path takes ${(1 / report.speedup).toFixed(2)}× the time of PapaParse (goal: at most 0.3×): ${verdict(report.speedup >= 1 / 0.3)}.
- Memory: ${mb(wasm.wasmMemoryBytes)} MB of WebAssembly memory for the whole file (goal: under 64 MB): ${verdict(wasm.wasmMemoryBytes < 64 * megabyte)}.
- Responsiveness: longest main-thread task while reading ${wasm.longestMainThreadTaskMs} ms (goal: under 100 ms): ${verdict(wasm.longestMainThreadTaskMs < 100)};
  rendering the results afterwards takes one ${wasm.renderTaskMs} ms task.
- Both paths count ${rows.toLocaleString('en-US')} answers with NPS ${report.nps.toFixed(2)}.
`);
} finally {
  await rm(folder, { recursive: true, force: true });
}
