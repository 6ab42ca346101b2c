// One table of awkward inputs (no answers, one answer, unanimous groups under
// Wald, weights, dates that cannot be read) through every way of asking:
// `npskit summarize` and `npskit compare` as text and as JSON, and the module
// in both builds. Every number and every "significant" must be the same.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { builds, loadCore, npskitRun } from './support.mjs';

const directory = mkdtempSync(path.join(tmpdir(), 'npskit-agreement-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const repeat = (line, times) => Array(times).fill(line).join('');

// Each case: a CSV file, the command's options and the same as module options.
const summaryCases = [
  { name: 'no answers', csv: 'score\n', flags: [], options: {} },
  { name: 'no valid answers', csv: 'score\nnone\n11\n', flags: [], options: {} },
  { name: 'one promoter', csv: 'score\n10\n', flags: [], options: {} },
  {
    name: 'one promoter, adjusted Wald',
    csv: 'score\n10\n',
    flags: ['--method', 'adjusted-wald'],
    options: { method: 'adjusted-wald' },
  },
  {
    name: 'one promoter, Wald (se = 0)',
    csv: 'score\n10\n',
    flags: ['--method', 'wald'],
    options: { method: 'wald' },
  },
  {
    name: 'unanimous segments under Wald (se = 0)',
    csv: 'score,segment\n' + repeat('10,a\n', 6) + repeat('0,b\n', 6),
    flags: ['--method', 'wald', '--by', 'segment'],
    options: { method: 'wald', by: 'segment' },
  },
  {
    name: 'unanimous segments under adjusted Wald',
    csv: 'score,segment\n' + repeat('10,a\n', 6) + repeat('0,b\n', 6),
    flags: ['--method', 'adjusted-wald', '--by', 'segment'],
    options: { method: 'adjusted-wald', by: 'segment' },
  },
  {
    name: 'segments against the rest (default method)',
    csv:
      'score,segment\n' +
      repeat('10,pro\n', 9) +
      repeat('8,pro\n', 2) +
      '3,pro\n' +
      repeat('9,team\n', 4) +
      repeat('7,team\n', 3) +
      repeat('2,team\n', 3) +
      repeat('6,free\n', 5) +
      repeat('10,free\n', 2),
    flags: ['--by', 'segment'],
    options: { by: 'segment' },
  },
  {
    name: 'weights, with segments',
    csv:
      'score,weight,segment\n' +
      repeat('10,2,a\n', 5) +
      repeat('7,1,a\n', 3) +
      repeat('3,0.5,b\n', 4) +
      repeat('9,1.5,b\n', 3),
    flags: ['--weight-column', 'weight', '--by', 'segment'],
    options: { weightColumn: 'weight', by: 'segment' },
  },
  {
    name: 'months, with dates that cannot be read',
    csv:
      'score,date\n' +
      repeat('10,2026-01-05\n', 4) +
      repeat('3,2026-01-20\n', 2) +
      '9,01.03.2026\n' +
      '8,03/01/2026\n' +
      repeat('9,2026-02-03\n', 3) +
      repeat('6,2026-02-14\n', 3),
    flags: ['--by', 'month'],
    options: { by: 'month' },
  },
];

const fixed = (value, decimals = 1) => {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
};
const signed = (value) => {
  const text = fixed(value);
  return text.startsWith('-') || text === '0.0' ? text : `+${text}`;
};

/** The row of a group in the report's group table. */
function groupRow(text, key) {
  const table = text.slice(text.indexOf('\nBy '));
  const row = table.split('\n').find((line) => line.startsWith(`  ${key}  `));
  assert.ok(row, `no row for ${key} in\n${table}`);
  return row;
}

function writeCase(index, csv) {
  const file = path.join(directory, `case-${index}.csv`);
  writeFileSync(file, csv);
  return file;
}

// What the report says must be what the JSON says.
function assertReportShows(text, summary) {
  if (summary.n === 0) {
    assert.match(text, /NPS\s+no answers yet/);
    assert.doesNotMatch(text, /Band/);
    return;
  }
  const { low, high } = summary.interval;
  assert.ok(
    text.includes(`${fixed(summary.nps)} (95% CI ${fixed(low)} to ${fixed(high)}`),
    `${fixed(summary.nps)} with ${fixed(low)} to ${fixed(high)} not in\n${text}`,
  );
  if (summary.interval.adjusted_nps !== undefined) {
    assert.ok(
      text.includes(`around the adjusted estimate ${fixed(summary.interval.adjusted_nps)}`),
    );
  }
  if (summary.weighted_nps !== undefined) {
    const range = summary.weighted_interval;
    assert.ok(
      text.includes(
        `Weighted NPS  ${fixed(summary.weighted_nps)} (95% CI ${fixed(range.low)} to ${fixed(range.high)}`,
      ),
      text,
    );
    assert.ok(text.includes(`effective n ${fixed(summary.n_effective)}`), text);
  }
  for (const group of summary.groups) {
    const row = groupRow(text, group.key);
    assert.ok(row.includes(` ${fixed(group.nps)} `), `${row} lacks ${fixed(group.nps)}`);
    if (!group.versus) continue;
    const { versus } = group;
    // The difference shown is the group's NPS minus the reference's.
    assert.equal(signed(versus.diff), signed(group.nps - versus.reference_nps));
    assert.ok(row.includes(` ${signed(versus.diff)} `), `${row} lacks ${signed(versus.diff)}`);
    assert.equal(row.endsWith('*'), versus.significant, `${row} and significant`);
    if (versus.p_value === null) assert.match(row, / n\/a( |$)/);
    assert.equal(versus.weighted, false);
  }
  if (summary.groups.some((group) => group.versus) && summary.weighted_nps !== undefined) {
    assert.match(text, /count answers unweighted/);
  }
}

for (const build of builds) {
  describe(`${build.name} build: the command and the module agree`, () => {
    let core;
    before(async () => {
      core = await loadCore(build);
    });

    summaryCases.forEach(({ name, csv, flags, options }, index) => {
      test(`summary: ${name}`, () => {
        const file = writeCase(index, csv);
        const json = npskitRun('summarize', '--json', ...flags, file);
        assert.equal(json.status, 0, json.stderr);
        const fromCommand = JSON.parse(json.stdout);
        const reader = core.createReader({ format: 'csv', ...options });
        reader.push(csv);
        const fromModule = reader.finish();
        // Rejection reasons from a single file carry no file name either way.
        assert.deepEqual(fromModule, fromCommand);

        const text = npskitRun('summarize', ...flags, file);
        assert.equal(text.status, 0, text.stderr);
        assertReportShows(text.stdout, fromCommand);
      });
    });

    test('the unanimous groups are tested the same by compare and by the segment table', () => {
      const file = writeCase('unanimous', summaryCases[5].csv);
      const bySegment = JSON.parse(
        npskitRun('summarize', '--json', '--method', 'wald', '--by', 'segment', file).stdout,
      );
      const compared = core.compare(
        { promoters: 6, passives: 0, detractors: 0 },
        { promoters: 0, passives: 0, detractors: 6 },
        { method: 'wald' },
      );
      assert.equal(compared.significant, false);
      assert.equal(bySegment.groups[0].versus.significant, compared.significant);
      assert.equal(bySegment.groups[0].versus.p_value, compared.p_value);
      assert.equal(bySegment.groups[0].versus.diff, compared.diff);
    });

    const comparisons = [
      ['n = 1 against n = 1', '1,0,0', '0,0,1', 'adjusted-wald'],
      ['unanimous under Wald (se = 0)', '8,0,0', '0,0,8', 'wald'],
      ['equal unanimous under Wald', '4,0,0', '9,0,0', 'wald'],
      ['unanimous under adjusted Wald', '8,0,0', '0,0,8', 'adjusted-wald'],
      ['Tango intervals', '50,30,20', '40,35,25', 'tango'],
      ['close at 95%', '30,10,10', '20,15,15', 'wald'],
    ];
    for (const [name, a, b, method] of comparisons) {
      test(`compare: ${name}`, () => {
        const flags = ['--method', method, '--counts', a, '--counts', b];
        const json = npskitRun('compare', '--json', ...flags);
        assert.equal(json.status, 0, json.stderr);
        const fromCommand = JSON.parse(json.stdout);
        const countsOf = (text) => {
          const [promoters, passives, detractors] = text.split(',').map(Number);
          return { promoters, passives, detractors };
        };
        const fromModule = core.compare(countsOf(a), countsOf(b), { method });
        assert.deepEqual(fromModule, fromCommand);
        assert.equal(fromModule.diff, fromModule.a.nps - fromModule.b.nps);

        const text = npskitRun('compare', ...flags).stdout;
        assert.ok(text.includes(`Difference A - B  ${fixed(fromModule.diff)} points`), text);
        assert.equal(
          text.includes(' is statistically significant'),
          fromModule.significant,
          `${text} against significant: ${fromModule.significant}`,
        );
        if (fromModule.adjusted_diff !== undefined) {
          assert.ok(
            text.includes(`whose difference is ${fixed(fromModule.adjusted_diff)} points`),
            text,
          );
        }
      });
    }

    test('compare against a benchmark: the plain gap, the adjusted one named', () => {
      const counts = { promoters: 8, passives: 5, detractors: 2 };
      const tested = core.compareToBenchmark(counts, 40);
      const summary = core.summarize(counts);
      assert.equal(tested.diff, summary.nps - 40);
      assert.equal(typeof tested.adjusted_diff, 'number');
      assert.notEqual(tested.adjusted_diff, tested.diff);
    });
  });
}
