// The streaming reader of both builds: the same export, pushed whole, byte by
// byte, in 7-byte and in random pieces, as bytes or as text, gives one
// summary, and that summary is what `npskit summarize --json` prints for the
// file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { builds, loadCore, npskitJson, npskitRun, repoRoot, seededRandom } from './support.mjs';

const comments = {
  promoter: [
    'Fast support and a clear dashboard',
    'Fast support, friendly team',
    'Snabb support och tydlig översikt',
    'Bardzo szybka obsługa 👍',
    '客服响应很快，界面清晰',
  ],
  passive: [
    'Good overall, "export" could be faster',
    'Okej men dyr',
    'Dobra aplikacja, ale drogo',
    '价格有点贵',
  ],
  detractor: [
    'Too expensive and slow exports',
    'För dyrt och långsam export',
    'Za drogo, aplikacja się zawiesza',
    '太贵了，导出很慢',
    'Slow, slow exports\nand it crashes',
  ],
};
const segments = ['enterprise', 'smb', 'Kraków', '北京'];

// An export as survey tools write them: every score, four segments, dates over
// three months, comments in four languages, and rows no reader may count.
function answerRows() {
  const random = seededRandom(20261122);
  const rows = [];
  for (let index = 0; index < 360; index += 1) {
    const score = Math.floor(random() * 11);
    const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    const day = new Date(Date.UTC(2026, 8, 1) + index * 6 * 3600 * 1000);
    rows.push({
      id: `r${index}`,
      submitted_at: day.toISOString(),
      score: String(score),
      segment: segments[index % segments.length],
      comment: index % 5 === 4 ? '' : comments[category][index % comments[category].length],
      weight: String(1 + (index % 3) * 0.5),
    });
  }
  const bad = [
    { score: '11' },
    { score: 'abc' },
    { score: '' },
    { score: '7.5' },
    { score: '-1' },
    { submitted_at: 'yesterday', score: '9' },
    { weight: '-2', score: '8' },
  ];
  bad.forEach((change, offset) =>
    rows.splice(20 + offset * 37, 0, { ...rows[offset], id: `bad${offset}`, ...change }),
  );
  return rows;
}

const columns = ['id', 'submitted_at', 'score', 'segment', 'comment', 'weight'];

function csvField(value, delimiter) {
  return /["\r\n]/.test(value) || value.includes(delimiter)
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

function writeExports(folder) {
  const rows = answerRows();
  const files = {};
  const csvLines = [
    columns.join(','),
    ...rows.map((row) => columns.map((key) => csvField(row[key], ',')).join(',')),
  ];
  // A row with a field missing, which only CSV can have.
  csvLines.splice(50, 0, 'short,2026-09-10T10:00:00Z,9');
  files.csv = `\uFEFF${csvLines.join('\r\n')}\r\n`;
  files.semicolon = `${csvLines.map((line) => line.replaceAll(',', ';')).join('\n')}`;
  const tsvRows = rows.map((row) =>
    columns.map((key) => row[key].replaceAll('\n', ' ')).join('\t'),
  );
  files.tsv = `${[columns.join('\t'), ...tsvRows].join('\n')}\n`;
  const objects = rows.map((row) => ({
    ...row,
    score: /^\d+$/.test(row.score) ? Number(row.score) : row.score,
  }));
  files.jsonl = `${objects.map((row) => JSON.stringify(row)).join('\n')}\n`;
  files.json = JSON.stringify(objects, null, 1);
  const paths = {};
  for (const [name, content] of Object.entries(files)) {
    const extension = name === 'semicolon' ? 'csv' : name;
    paths[name] = path.join(folder, `answers-${name}.${extension}`);
    writeFileSync(paths[name], content);
  }
  return paths;
}

// Cases: the reader options and the command-line flags that mean the same.
const cases = [
  { file: 'csv', options: {}, flags: [] },
  { file: 'csv', options: { by: 'segment' }, flags: ['--by', 'segment'] },
  {
    file: 'csv',
    options: { by: 'month', method: 'wald', confidence: 0.9 },
    flags: ['--by', 'month', '--method', 'wald', '--confidence', '0.9'],
  },
  {
    file: 'csv',
    options: { weightColumn: 'weight', method: 'tango' },
    flags: ['--weight-column', 'weight', '--method', 'tango'],
  },
  {
    file: 'semicolon',
    options: { by: 'week', themes: 3 },
    flags: ['--by', 'week', '--themes', '3'],
  },
  { file: 'tsv', options: { format: 'tsv', by: 'day' }, flags: ['--by', 'day'] },
  { file: 'jsonl', options: { format: 'jsonl', by: 'segment' }, flags: ['--by', 'segment'] },
  // Groups shown to others: the small ones folded, as the live panel asks.
  {
    file: 'csv',
    options: { by: 'segment', segmentColumns: ['segment', 'weight'], foldGroupsBelow: 40 },
    flags: [
      '--by',
      'segment',
      '--segment-column',
      'segment',
      '--segment-column',
      'weight',
      '--fold-below',
      '40',
    ],
  },
  // Two segment columns: each alone and crossed, small groups left untested.
  {
    file: 'csv',
    options: { by: 'segment', segmentColumns: ['segment', 'weight'], minGroupSize: 5 },
    flags: [
      '--by',
      'segment',
      '--segment-column',
      'segment',
      '--segment-column',
      'weight',
      '--min-group-size',
      '5',
    ],
  },
  {
    file: 'jsonl',
    options: { format: 'jsonl', by: 'segment', segmentColumns: ['weight', 'segment'] },
    flags: ['--by', 'segment', '--segment-column', 'weight', '--segment-column', 'segment'],
  },
  {
    file: 'json',
    options: { format: 'json', bands: 'low:-100,high:10' },
    flags: ['--bands', 'low:-100,high:10'],
  },
];

function randomPieces(length, random, largest) {
  const sizes = [];
  for (let used = 0; used < length;) {
    const size = Math.min(length - used, 1 + Math.floor(random() * largest));
    sizes.push(size);
    used += size;
  }
  return sizes;
}

function pushBytes(reader, bytes, sizes) {
  let offset = 0;
  let progress;
  for (const size of sizes) {
    progress = reader.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return progress;
}

// Text pieces never split a surrogate pair: a JavaScript string of half a
// character cannot be encoded.
function pushText(reader, text, random) {
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + 1 + Math.floor(random() * 300));
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end += 1;
    reader.push(text.slice(start, end));
    start = end;
  }
}

const readerFixtures = path.join(repoRoot, 'tests', 'data', 'readers');
const formatOfExtension = { '.csv': 'csv', '.tsv': 'tsv', '.json': 'json', '.jsonl': 'jsonl' };

let folder;
let exportPaths;
before(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'npskit-wasm-reader-'));
  exportPaths = writeExports(folder);
});
after(() => rmSync(folder, { recursive: true, force: true }));

for (const build of builds) {
  describe(`${build.name} build: streaming reader`, () => {
    let core;
    before(async () => {
      core = await loadCore(build);
    });

    for (const [index, { file, options, flags }] of cases.entries()) {
      test(`${file} ${JSON.stringify(options)}: every chunking equals npskit summarize --json`, () => {
        const bytes = new Uint8Array(readFileSync(exportPaths[file]));
        const expected = npskitJson('summarize', '--json', ...flags, exportPaths[file]);
        assert.ok(
          expected.n > 300 && expected.rejected >= 4,
          `the export has answers and rejected rows (n ${expected.n}, rejected ${expected.rejected})`,
        );
        if (options.foldGroupsBelow) {
          assert.ok(expected.folded.groups > 0 && expected.groups.length > 0, 'some groups fold');
        }

        const whole = core.createReader(options);
        const progress = whole.push(bytes);
        assert.equal(progress.bytes, bytes.length);
        // A last line without its line break may still go on: it is read at finish().
        const unterminated = options.format !== 'json' && bytes.at(-1) !== 0x0a ? 1 : 0;
        assert.equal(
          progress.records + progress.rejected,
          expected.n + expected.rejected + (expected.dismissals ?? 0) - unterminated,
        );
        assert.deepEqual(whole.finish(), expected, 'whole file');

        const random = seededRandom(index + 1);
        const chunkings = [
          ['7-byte', new Array(Math.ceil(bytes.length / 7)).fill(7)],
          ['random', randomPieces(bytes.length, random, 4096)],
        ];
        if (index < 2) chunkings.push(['1-byte', new Array(bytes.length).fill(1)]);
        for (const [name, sizes] of chunkings) {
          const reader = core.createReader(options);
          assert.equal(pushBytes(reader, bytes, sizes).bytes, bytes.length);
          assert.deepEqual(reader.finish(), expected, `${name} chunks`);
        }

        const fromBuffers = core.createReader(options);
        fromBuffers.push(bytes.buffer.slice(0, 1000));
        fromBuffers.push(new DataView(bytes.buffer, 1000, 1000));
        fromBuffers.push(bytes.buffer.slice(2000));
        assert.deepEqual(fromBuffers.finish(), expected, 'ArrayBuffer and DataView chunks');

        const fromText = core.createReader(options);
        pushText(fromText, new TextDecoder().decode(bytes), random);
        assert.deepEqual(fromText.finish(), expected, 'string chunks');
      });
    }

    for (const name of readdirSync(readerFixtures)) {
      const format = formatOfExtension[path.extname(name)];
      if (!format) continue;
      test(`tests/data/readers/${name} in random chunks answers as the command does`, () => {
        const file = path.join(readerFixtures, name);
        const bytes = new Uint8Array(readFileSync(file));
        const command = npskitRun('summarize', '--json', '--by', 'segment', file);
        const read = () => {
          const reader = core.createReader({ format, by: 'segment' });
          pushBytes(reader, bytes, randomPieces(bytes.length, seededRandom(bytes.length), 64));
          return reader.finish();
        };
        if (command.status === 0) {
          assert.deepEqual(read(), JSON.parse(command.stdout));
          return;
        }
        // An unusable file: the same error, which the command prefixes with the file name.
        assert.throws(read, (error) => {
          assert.equal(error.name, 'NpsError');
          assert.ok(
            command.stderr.includes(`${file}: ${error.message}`),
            `${command.stderr} names ${error.message}`,
          );
          return true;
        });
      });
    }

    test('a reader summary carries the rejected rows with line and reason', () => {
      const reader = core.createReader({});
      reader.push('score,comment\r\n9,"multi\r\nline"\r\n11,too high\r\n');
      reader.push('abc,not a number\r\n7,ok\r\n');
      const summary = reader.finish();
      assert.equal(summary.n, 2);
      assert.equal(summary.rejected, 2);
      assert.deepEqual(
        summary.rejections.map((rejection) => rejection.line),
        [4, 5],
      );
      assert.match(summary.rejections[0].reason, /11/);
      assert.match(summary.rejections[1].reason, /abc/);
    });

    test('a trend read in the same pass equals a second reader grouped by the period', () => {
      const bytes = new Uint8Array(readFileSync(exportPaths.csv));
      const options = { by: 'segment', minGroupSize: 5, maxRejections: 3 };
      const both = core.createReader({ ...options, trend: 'week' });
      pushBytes(both, bytes, randomPieces(bytes.length, seededRandom(7), 4096));
      const { trend, ...summary } = both.finish();
      const alone = core.createReader(options);
      alone.push(bytes);
      assert.deepEqual(summary, alone.finish(), 'the main grouping is unchanged');
      // The trend's own reader, as the calculator asked for it before: no
      // themes, every period listed whatever its size.
      const weekly = core.createReader({ by: 'week', themes: 0, maxRejections: 3 });
      weekly.push(bytes);
      const expected = weekly.finish();
      assert.ok(expected.groups.length > 1 && expected.rejected >= 4);
      assert.deepEqual(trend, expected);
      assert.throws(() => core.createReader({ trend: 'segment' }), {
        name: 'NpsError',
        code: 'invalid_argument',
        message: 'trend "segment" is not a period (expected day, week or month)',
      });
    });

    test('readers are independent and a finished reader cannot be pushed', () => {
      const first = core.createReader({});
      const second = core.createReader({ by: 'segment' });
      first.push('score,segment\n10,a\n');
      second.push('score,segment\n0,b\n');
      first.push('9,a\n');
      assert.deepEqual([first.finish().promoters, second.finish().detractors], [2, 1]);
      assert.throws(() => first.push('9\n'), { name: 'NpsError', code: 'invalid_argument' });
      assert.throws(() => first.finish(), { name: 'NpsError', code: 'invalid_argument' });
      const aborted = core.createReader({});
      aborted.push('score\n9\n');
      aborted.abort();
      assert.throws(() => aborted.push('10\n'), /aborted/);
    });
  });
}
