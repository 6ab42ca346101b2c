// Messy files in both builds of the module, against `npskit summarize --json`:
// a stray quote costs only its own row, a misspelt column is an error naming
// the columns, dateless answers stay in the overall score and are counted
// apart, periods are counted in UTC or a given offset, and day/month dates are
// read only in the order the caller gives.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { builds, loadCore, npskitJson, npskitRun, seededRandom } from './support.mjs';

// 10,000 answers after the header; line 4 opens a quote it never closes.
function strayQuoteExport() {
  const lines = ['score,comment,date'];
  for (let line = 2; line <= 10001; line += 1) {
    const day = String(1 + (line % 28)).padStart(2, '0');
    lines.push(line === 4 ? '9,"Great,2026-03-01' : `${line % 11},answer ${line},2026-02-${day}`);
  }
  return `${lines.join('\n')}\n`;
}

const datedExport = [
  'score,date',
  '10,2026-03-02T00:30:00+02:00',
  '9,2026-03-02T23:30:00-01:00',
  '3,01.03.2026',
  '8,03/01/2026',
  '10,',
  '6,yesterday',
  '9,2026-02-30',
  '',
].join('\n');

function pushInPieces(reader, text, random) {
  for (let start = 0; start < text.length;) {
    const end = Math.min(text.length, start + 1 + Math.floor(random() * 97));
    reader.push(text.slice(start, end));
    start = end;
  }
}

let folder;
let strayPath;
let datedPath;
before(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'npskit-wasm-messy-'));
  strayPath = path.join(folder, 'stray-quote.csv');
  datedPath = path.join(folder, 'dates.csv');
  writeFileSync(strayPath, strayQuoteExport());
  writeFileSync(datedPath, datedExport);
});
after(() => rmSync(folder, { recursive: true, force: true }));

for (const build of builds) {
  describe(`${build.name} build: messy files`, () => {
    let core;
    before(async () => {
      core = await loadCore(build);
    });

    test('a quote never closed on line 4 costs that row alone, in every chunking', () => {
      const text = strayQuoteExport();
      const expected = npskitJson('summarize', '--json', strayPath);
      assert.equal(expected.n, 9999);
      assert.equal(expected.rejected, 1);
      assert.equal(expected.rejections[0].line, 4);
      assert.match(expected.rejections[0].reason, /^line 4: field 2 opens a quote/);

      const whole = core.createReader({});
      whole.push(text);
      assert.deepEqual(whole.finish(), expected, 'whole');
      const pieces = core.createReader({});
      pushInPieces(pieces, text, seededRandom(4));
      assert.deepEqual(pieces.finish(), expected, 'random pieces');
    });

    test('a misspelt column is an error naming the columns and the closest one', () => {
      const reader = core.createReader({ by: 'week', dateColumn: 'dat' });
      assert.throws(
        () => {
          // The header is enough: the error comes as soon as it is read.
          reader.push('score,comment,date\n9,ok,2026-03-01\n');
          reader.finish();
        },
        (error) => {
          assert.equal(error.name, 'NpsError');
          assert.equal(error.code, 'missing_column');
          assert.match(error.message, /no "dat" column \(the date column\)/);
          assert.match(error.message, /columns found: "score", "comment", "date"; closest: "date"/);
          return true;
        },
      );
      const command = npskitRun('summarize', '--by', 'week', '--date-column', 'dat', datedPath);
      assert.equal(command.status, 2, 'a usage error for the command');
      assert.match(command.stderr, /--date-column: .*no "dat" column .*closest: "date"/);
    });

    test('answers without a usable date count in the total and are reported with the reason', () => {
      const reader = core.createReader({ by: 'day' });
      reader.push(datedExport);
      const summary = reader.finish();
      assert.deepEqual(summary, npskitJson('summarize', '--json', '--by', 'day', datedPath));
      assert.equal(summary.n, 7, 'every valid answer is in the overall score');
      const inPeriods = summary.groups.reduce((total, group) => total + group.n, 0);
      assert.equal(summary.undated.count, 5);
      assert.equal(inPeriods + summary.undated.count, summary.n);
      assert.deepEqual(
        summary.undated.reasons.map(({ reason, count, example }) => [reason, count, example]),
        [
          ['missing', 1, ''],
          ['needs_date_order', 2, '01.03.2026'],
          ['invalid', 2, 'yesterday'],
        ],
      );
      const text = npskitRun('summarize', '--by', 'day', datedPath).stdout;
      assert.match(text, /5 answers without a usable date are in the total but in no period/);
    });

    test('offsets are converted to UTC, or to the fixed offset asked for', () => {
      const keys = (options, flags) => {
        const reader = core.createReader({ by: 'day', ...options });
        reader.push(datedExport);
        const summary = reader.finish();
        assert.deepEqual(
          summary,
          npskitJson('summarize', '--json', '--by', 'day', ...flags, datedPath),
        );
        return summary.groups.map((group) => `${group.key}:${group.n}`);
      };
      // 00:30 at +02:00 is 22:30 UTC the day before; 23:30 at -01:00 is 00:30 UTC the day after.
      assert.deepEqual(keys({}, []), ['2026-03-01:1', '2026-03-03:1']);
      assert.deepEqual(keys({ utcOffset: '+02:00' }, ['--utc-offset', '+02:00']), [
        '2026-03-02:1',
        '2026-03-03:1',
      ]);
      assert.deepEqual(keys({ utcOffset: '-05:00' }, ['--utc-offset', '-05:00']), [
        '2026-03-01:1',
        '2026-03-02:1',
      ]);
    });

    test('day/month dates are read only in the order given', () => {
      const read = (dateOrder) => {
        const reader = core.createReader({ by: 'day', dateOrder });
        reader.push(datedExport);
        const summary = reader.finish();
        assert.deepEqual(
          summary,
          npskitJson('summarize', '--json', '--by', 'day', '--date-order', dateOrder, datedPath),
        );
        return summary;
      };
      const dayFirst = read('dmy');
      assert.deepEqual(
        dayFirst.groups.map((group) => group.key),
        ['2026-01-03', '2026-03-01', '2026-03-03'],
      );
      assert.ok(!dayFirst.undated.reasons.some((item) => item.reason === 'needs_date_order'));
      const monthFirst = read('mdy');
      assert.deepEqual(
        monthFirst.groups.map((group) => group.key),
        ['2026-01-03', '2026-03-01', '2026-03-03'],
      );
      // 03/01/2026 (an 8) is in January day-first, 01.03.2026 (a 3) month-first.
      assert.deepEqual([dayFirst.groups[0].passives, dayFirst.groups[0].detractors], [1, 0]);
      assert.deepEqual([monthFirst.groups[0].passives, monthFirst.groups[0].detractors], [0, 1]);
      assert.throws(() => core.createReader({ dateOrder: 'ymd' }), {
        name: 'NpsError',
        code: 'invalid_argument',
      });
      assert.throws(() => core.createReader({ utcOffset: '+2' }), {
        name: 'NpsError',
        code: 'invalid_argument',
      });
    });
  });
}
