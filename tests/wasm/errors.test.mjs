// Bad input to either build answers with an NpsError whose code is the core's
// error name and whose message names the input, the position and what was
// expected; a module that cannot start rejects its promise.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { builds, distDir, factoryOf, loadCore, npskitRun } from './support.mjs';

function assertNpsError(action, code, pattern) {
  assert.throws(action, (error) => {
    assert.equal(error.name, 'NpsError', `${error.name}: ${error.message}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

for (const build of builds) {
  describe(`${build.name} build: errors`, () => {
    let core;
    let NpsError;
    before(async () => {
      core = await loadCore(build);
      NpsError = factoryOf(build).NpsError;
    });

    test('errors are instances of the exported NpsError', () => {
      assert.equal(core.NpsError, NpsError);
      try {
        core.summarize([3, 11]);
        assert.fail('a score of 11 was accepted');
      } catch (error) {
        assert.ok(error instanceof NpsError);
        assert.ok(error instanceof Error);
      }
    });

    test('a bad score names its index and value', () => {
      assertNpsError(
        () => core.summarize([9, 10, 11]),
        'invalid_score',
        /^input\[2\] is 11; expected an integer score from 0 to 10$/,
      );
      assertNpsError(
        () => core.summarize(new Float64Array([1, 2.5])),
        'invalid_score',
        /input\[1\] is 2\.5/,
      );
      assertNpsError(
        () => core.summarize({ scores: [7, '8'] }),
        'invalid_score',
        /input\.scores\[1\] is "8"/,
      );
      assertNpsError(() => core.summarize([null]), 'invalid_score', /input\[0\] is null/);
      assertNpsError(
        () => core.summarize(new Int8Array([4, -1])),
        'invalid_score',
        /input\[1\] is -1/,
      );
      assertNpsError(
        () => core.classify(10.5),
        'invalid_score',
        /^score is 10\.5; expected an integer score from 0 to 10$/,
      );
    });

    test('bad counts and histograms name the field', () => {
      assertNpsError(
        () => core.summarize({ promoters: 5, passives: -1, detractors: 2 }),
        'invalid_argument',
        /input\.passives is -1; expected a whole number/,
      );
      assertNpsError(
        () => core.summarize({ promoters: 5, detractors: 2 }),
        'invalid_argument',
        /input\.passives is undefined/,
      );
      assertNpsError(
        () => core.summarize({ histogram: [1, 2, 3] }),
        'invalid_argument',
        /input\.histogram is an array of 3; expected 11 counts/,
      );
      assertNpsError(
        () => core.summarize([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5]),
        'invalid_argument',
        /input\[10\] is 1\.5/,
      );
      assertNpsError(
        () => core.summarize('9,10'),
        'invalid_argument',
        /input is "9,10"; expected \{promoters, passives, detractors\}/,
      );
      assertNpsError(
        () => core.compare({ promoters: 1, passives: 0, detractors: 0 }, 42),
        'invalid_argument',
        /^b is 42/,
      );
    });

    test('options are checked by name', () => {
      const counts = { promoters: 5, passives: 3, detractors: 2 };
      assertNpsError(
        () => core.summarize(counts, { confidence: 1.5 }),
        'invalid_confidence',
        /confidence 1\.5 is outside \(0, 1\)/,
      );
      assertNpsError(
        () => core.summarize(counts, { confidence: '95%' }),
        'invalid_confidence',
        /options\.confidence is "95%"; expected a number/,
      );
      assertNpsError(
        () => core.summarize(counts, { method: 'bayes' }),
        'invalid_argument',
        /unknown interval method "bayes"; expected wald, adjusted-wald or tango/,
      );
      assertNpsError(
        () => core.summarize(counts, { confidance: 0.9 }),
        'invalid_argument',
        /options\.confidance is not an option; expected one of method, confidence, bands, themes/,
      );
      assertNpsError(
        () => core.summarize(counts, { bands: 'good:20' }),
        'invalid_argument',
        /bands entry 1 "good:20": the first band must start at -100/,
      );
      assertNpsError(
        () => core.summarize(counts, { bands: [{ name: 'a,b', lower: -100 }] }),
        'invalid_argument',
        /options\.bands\[0\]\.name is "a,b"/,
      );
      assertNpsError(
        () => core.summarize(counts, { themes: -1 }),
        'invalid_argument',
        /options\.themes is -1/,
      );
      assertNpsError(
        () => core.zForConfidence(0),
        'invalid_confidence',
        /confidence 0 is outside \(0, 1\)/,
      );
    });

    test('tests need answers on both sides and a known method', () => {
      const some = { promoters: 5, passives: 3, detractors: 2 };
      const none = { promoters: 0, passives: 0, detractors: 0 };
      assertNpsError(() => core.compare(some, none), 'empty_input', /group b has no answers/);
      assertNpsError(
        () => core.compare(some, some, { method: 'bayes' }),
        'invalid_argument',
        /unknown interval method "bayes"/,
      );
      // Tango's intervals are tested with adjusted Wald, by the core.
      assert.equal(core.compare(some, some, { method: 'tango' }).method, 'adjusted-wald');
      assertNpsError(
        () => core.compareToBenchmark(some, 150),
        'invalid_argument',
        /benchmark 150 is outside -100\.\.100/,
      );
      assertNpsError(
        () => core.compareToBenchmark(some),
        'invalid_argument',
        /benchmark is missing/,
      );
    });

    test('sample-size plans need one goal', () => {
      assertNpsError(
        () => core.sampleSize({}),
        'invalid_argument',
        /plan needs either margin .* or difference/,
      );
      assertNpsError(
        () => core.sampleSize({ margin: 5, difference: 5 }),
        'invalid_argument',
        /plan needs either margin/,
      );
      assertNpsError(
        () => core.sampleSize({ margin: 0 }),
        'invalid_argument',
        /margin 0 is outside \(0, 200\]/,
      );
      assertNpsError(
        () => core.sampleSize({ margin: 5, power: 0.9 }),
        'invalid_argument',
        /plan\.power applies to a difference/,
      );
      assertNpsError(
        () => core.sampleSize({ difference: 5, power: 1 }),
        'invalid_argument',
        /power 1 is outside \(0, 1\)/,
      );
      assertNpsError(
        () =>
          core.sampleSize({
            difference: 5,
            expect: [{ promoters: 1, passives: 1, detractors: 1 }],
          }),
        'invalid_argument',
        /plan\.expect is an array of 1/,
      );
      assertNpsError(
        () => core.sampleSize({ margin: 5, expect: { promoters: 0, passives: 0, detractors: 0 } }),
        'invalid_argument',
        /expected split has no answers/,
      );
    });

    test('readers report unusable input with the core error code', () => {
      assertNpsError(
        () => core.createReader({ format: 'xml' }),
        'invalid_argument',
        /unknown input format "xml"; expected csv, tsv, json or jsonl/,
      );
      assertNpsError(() => core.createReader({ by: 'year' }), 'invalid_argument', /year/);
      assertNpsError(
        () => core.createReader({ scoreColumn: '' }),
        'invalid_argument',
        /options\.scoreColumn is ""; expected a non-empty string/,
      );
      assertNpsError(
        () => core.createReader({ delimiter: ';' }),
        'invalid_argument',
        /options\.delimiter is not an option/,
      );

      const noScore = core.createReader({});
      assertNpsError(
        () => noScore.push('rating,comment\n9,great\n'),
        'missing_column',
        /no "score" column; columns found: "rating", "comment"/,
      );
      assertNpsError(
        () => noScore.push('9\n'),
        'invalid_argument',
        /already finished, failed or aborted/,
      );

      const notAnArray = core.createReader({ format: 'json' });
      assertNpsError(
        () => {
          notAnArray.push('{"score": 9}');
          notAnArray.finish();
        },
        'parse_error',
        /array/,
      );

      const truncated = core.createReader({ format: 'json' });
      truncated.push('[{"score": 9}, {"score": ');
      assertNpsError(() => truncated.finish(), 'parse_error', /./);

      assertNpsError(
        () => core.createReader({}).push(42),
        'invalid_argument',
        /chunk is 42; expected a Uint8Array, an ArrayBuffer or a string/,
      );
    });

    test('the core keeps working after every error above', () => {
      assert.equal(core.summarize({ promoters: 2, passives: 1, detractors: 1 }).nps, 25);
    });
  });
}

describe('loading', () => {
  test('a binary that is not WebAssembly rejects with load_failed', async () => {
    const factory = factoryOf(builds[0]);
    await assert.rejects(
      factory({ wasmBinary: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]), printErr() {} }),
      (error) => {
        assert.equal(error.name, 'NpsError');
        assert.equal(error.code, 'load_failed');
        assert.match(error.message, /the npskit core could not be loaded/);
        return true;
      },
    );
  });

  test('a missing .wasm file rejects with load_failed naming the file', async () => {
    const factory = factoryOf(builds[0]);
    await assert.rejects(
      factory({ locateFile: (name) => path.join(distDir, 'missing', name) }),
      (error) => error.code === 'load_failed' && /missing\/npskit-core\.wasm/.test(error.message),
    );
  });

  test('Node loads the .wasm file next to the script when no binary is given', async () => {
    const core = await factoryOf(builds[0])();
    assert.equal(core.summarize([10, 9, 0]).promoters, 2);
  });

  for (const build of builds) {
    test(`${build.name}: every call of the factory gives an independent instance`, async () => {
      const first = await loadCore(build);
      const second = await loadCore(build);
      const reader = first.createReader({});
      reader.push('score\n9\n');
      const other = second.createReader({});
      other.push('score\n');
      assert.equal(other.finish().n, 0);
      assert.equal(reader.finish().n, 1);
      assert.equal(`npskit ${first.version}\n`, npskitRun('--version').stdout);
    });
  }
});
