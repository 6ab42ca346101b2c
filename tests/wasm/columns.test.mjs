// Column profiles from every build of the core equal the native core's
// (tests/core/columns_test.cpp checks the same expected JSON), whether the
// first bytes arrive as bytes or as text, and a file cut mid-row is profiled
// from its whole rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { builds, loadCore, repoRoot } from './support.mjs';

const fixtures = path.join(repoRoot, 'tests', 'data', 'columns');
const swedish = readFileSync(path.join(fixtures, 'swedish.csv'));
const expected = JSON.parse(readFileSync(path.join(fixtures, 'swedish.profile.json'), 'utf8'));

for (const build of builds) {
  describe(`column profiles (${build.name})`, () => {
    let core;
    before(async () => {
      core = await loadCore(build);
    });

    test('a Swedish export as bytes and as text gives the native profile', () => {
      assert.deepEqual(core.profileColumns(swedish), expected);
      assert.deepEqual(core.profileColumns(swedish.toString('utf8'), { format: 'csv' }), expected);
      const betyg = expected.columns.find((column) => column.name === 'Betyg');
      assert.equal(betyg.scores, true);
      assert.deepEqual(betyg.samples, ['9', '10', '7']);
    });

    test('the first bytes of a longer file are profiled from their whole rows', () => {
      const text = swedish.toString('utf8');
      const cut = text.indexOf('\n', text.indexOf('Supporten')) + 4;
      const whole = text.slice(0, text.lastIndexOf('\n', cut) + 1);
      const fromCut = core.profileColumns(Buffer.from(text.slice(0, cut)), { truncated: true });
      assert.deepEqual(fromCut, core.profileColumns(whole));
      assert.equal(fromCut.rows, 4);
    });

    test('JSONL keys, those in "properties" too', () => {
      const profile = core.profileColumns(readFileSync(path.join(fixtures, 'widget.jsonl')), {
        format: 'jsonl',
      });
      const byName = Object.fromEntries(profile.columns.map((column) => [column.name, column]));
      assert.equal(byName.score.scores, true);
      assert.equal(byName.submitted_at.dates, true);
      assert.equal(byName.comment.free_text, true);
      assert.equal(byName.plan.few_values, true);
      assert.equal(byName.csat.csat, true);
    });

    test('input without columns is an NpsError naming what was expected', () => {
      assert.throws(
        () => core.profileColumns('\n\n'),
        (failure) => failure.code === 'empty_input' && /header row/.test(failure.message),
      );
      assert.throws(
        () => core.profileColumns('[]', { format: 'yaml' }),
        (failure) => failure.code === 'invalid_argument' && /yaml/.test(failure.message),
      );
    });
  });
}
