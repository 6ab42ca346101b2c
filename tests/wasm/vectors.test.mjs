// The statistics test vectors through both builds of the core: every number
// equals what the native command prints (same writer, same digits) and the
// published value of the vector.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { builds, loadCore, npskitJson, npskitRun, repoRoot } from './support.mjs';

const { vectors } = JSON.parse(
  readFileSync(path.join(repoRoot, 'tests', 'data', 'nps_vectors.json'), 'utf8'),
);
const singles = vectors.filter((vector) => 'pro' in vector);
const pairs = vectors.filter((vector) => 'a' in vector);

const countsOf = ([promoters, passives, detractors]) => ({ promoters, passives, detractors });
const countsFlag = ({ promoters, passives, detractors }) =>
  `${promoters},${passives},${detractors}`;

// The vectors are rounded to 4 decimals (Tango to 3).
function assertRounded(actual, expected, decimals, what) {
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not ${expected} to ${decimals} decimals`,
  );
}

for (const build of builds) {
  describe(`${build.name} build: statistics vectors`, () => {
    let core;
    before(async () => {
      core = await loadCore(build);
    });

    for (const vector of singles) {
      const counts = { promoters: vector.pro, passives: vector.pas, detractors: vector.det };

      for (const method of ['adjusted-wald', 'wald', 'tango']) {
        test(`${vector.id} (${countsFlag(counts)}) ${method} equals npskit summarize --json`, () => {
          const summary = core.summarize(counts, { method });
          assert.deepEqual(
            summary,
            npskitJson('summarize', '--json', '--counts', countsFlag(counts), '--method', method),
          );
        });
      }

      test(`${vector.id} matches the published intervals`, () => {
        const wald = core.summarize(counts, { method: 'wald' });
        assert.equal(wald.n, vector.n);
        assertRounded(wald.nps, vector.nps, 4, 'nps');
        assertRounded(wald.interval.se, vector.se, 4, 'Wald se');
        assertRounded(wald.interval.low, vector.wald95[0], 4, 'Wald low');
        assertRounded(wald.interval.high, vector.wald95[1], 4, 'Wald high');

        const adjusted = core.summarize(counts, { method: 'adjusted-wald' });
        assert.equal(adjusted.interval.method, 'adjusted-wald');
        assert.equal(adjusted.nps, wald.nps, 'the reported point estimate stays the raw NPS');
        assert.ok(
          adjusted.interval.low <= adjusted.interval.adjusted_nps &&
            adjusted.interval.adjusted_nps <= adjusted.interval.high,
          'an adjusted-Wald interval comes with the estimate it is centred on',
        );
        assertRounded(adjusted.interval.se, vector.adjwald95.se_adj, 4, 'adjusted-Wald se');
        assertRounded(
          adjusted.interval.low,
          Math.max(-100, vector.adjwald95.ci[0]),
          4,
          'adjusted-Wald low',
        );
        assertRounded(
          adjusted.interval.high,
          Math.min(100, vector.adjwald95.ci[1]),
          4,
          'adjusted-Wald high',
        );

        const tango = core.summarize(counts);
        assert.equal(tango.interval.method, 'tango', 'Tango is the default');
        assertRounded(tango.interval.low, vector.tango95[0], 3, 'Tango low');
        assertRounded(tango.interval.high, vector.tango95[1], 3, 'Tango high');
        assert.ok(tango.interval.low <= tango.nps && tango.nps <= tango.interval.high);
      });

      test(`${vector.id}: counts, histogram and raw scores give one summary`, () => {
        const histogram = new Array(11).fill(0);
        histogram[6] = vector.det;
        histogram[8] = vector.pas;
        histogram[10] = vector.pro;
        const scores = new Uint8Array(vector.n);
        scores.fill(10, 0, vector.pro);
        scores.fill(8, vector.pro, vector.pro + vector.pas);
        scores.fill(6, vector.pro + vector.pas);
        const fromCounts = core.summarize(counts);
        assert.deepEqual(core.summarize(histogram), fromCounts);
        assert.deepEqual(core.summarize({ histogram }), fromCounts);
        assert.deepEqual(core.summarize(scores), fromCounts);
        assert.deepEqual(core.summarize({ scores: Array.from(scores) }), fromCounts);
      });
    }

    for (const vector of pairs) {
      const a = countsOf(vector.a);
      const b = countsOf(vector.b);
      for (const [method, published] of [
        ['wald', vector.wald],
        ['adjusted-wald', vector.adjwald],
      ]) {
        test(`${vector.id} ${method} comparison equals npskit compare --json and the vector`, () => {
          const comparison = core.compare(a, b, { method });
          const cli = npskitJson(
            'compare',
            '--json',
            '--method',
            method,
            '--counts',
            countsFlag(a),
            '--counts',
            countsFlag(b),
          );
          assert.deepEqual(comparison, cli);
          assert.equal(comparison.diff, vector.nps_a - vector.nps_b, 'the plain difference');
          const tested = method === 'wald' ? comparison.diff : comparison.adjusted_diff;
          assertRounded(tested, published.diff, 4, 'tested difference');
          assertRounded(comparison.se, published.se, 4, 'se');
          assertRounded(comparison.z, published.z, 4, 'z');
          assertRounded(comparison.p_value, published.p2, 4, 'p');
          assert.equal(comparison.a.nps, vector.nps_a);
          assert.equal(comparison.b.nps, vector.nps_b);
        });
      }
    }

    const otherLevels = [
      ['0.9', { promoters: 50, passives: 30, detractors: 20 }, 'wald'],
      ['0.99', { promoters: 3, passives: 2, detractors: 1 }, 'tango'],
      ['0.8', { promoters: 0, passives: 0, detractors: 0 }, 'adjusted-wald'],
      ['0.95', { promoters: 0, passives: 0, detractors: 0 }, 'tango'],
      ['0.999', { promoters: 1, passives: 0, detractors: 0 }, 'adjusted-wald'],
      ['0.95', { promoters: 0, passives: 0, detractors: 7 }, 'wald'],
    ];
    for (const [confidence, counts, method] of otherLevels) {
      test(`${countsFlag(counts)} at ${confidence} (${method}) equals the command`, () => {
        const summary = core.summarize(counts, { method, confidence: Number(confidence) });
        const cli = npskitJson(
          'summarize',
          '--json',
          '--counts',
          countsFlag(counts),
          '--method',
          method,
          '--confidence',
          confidence,
        );
        assert.deepEqual(summary, cli);
      });
    }

    test('an 11-bin histogram with custom bands equals npskit summarize --histogram --bands', () => {
      const histogram = [1, 0, 2, 3, 4, 4, 6, 12, 18, 25, 25];
      const bands = [
        { name: 'poor', lower: -100 },
        { name: 'ok', lower: 10.5 },
        { name: 'great', lower: 40 },
      ];
      const summary = core.summarize(histogram, { bands });
      assert.equal(summary.band, 'ok');
      assert.deepEqual(
        summary,
        npskitJson(
          'summarize',
          '--json',
          '--histogram',
          histogram.join(','),
          '--bands',
          'poor:-100,ok:10.5,great:40',
        ),
      );
      assert.deepEqual(core.summarize(histogram, { bands: 'poor:-100,ok:10.5,great:40' }), summary);
    });

    test('a comparison against a fixed benchmark', () => {
      const counts = { promoters: 50, passives: 30, detractors: 20 };
      const tested = core.compareToBenchmark(counts, 10, { method: 'wald' });
      assert.equal(tested.schema, 'npskit.benchmark-comparison/1');
      assert.equal(tested.benchmark, 10);
      assert.equal(tested.diff, 20);
      assertRounded(tested.se, 7.8102, 4, 'se');
      assertRounded(tested.z, 20 / 7.8102, 3, 'z');
      assert.equal(tested.significant, true);
      assert.deepEqual(tested.summary, core.summarize(counts, { method: 'wald', themes: false }));
      const adjusted = core.compareToBenchmark(counts, 29, {});
      assert.equal(adjusted.method, 'adjusted-wald');
      assert.equal(adjusted.diff, 1, 'the plain NPS - B');
      assertRounded(adjusted.adjusted_diff, 0.1262, 4, "the tested NPS' - B");
      assert.equal(adjusted.significant, false);
    });

    test('sample sizes and z equal npskit sample-size', () => {
      assertRounded(core.zForConfidence(0.95), 1.959963984540054, 14, 'z for 95%');
      for (const [margin, confidence, expect] of [
        ['5', '0.95', null],
        ['3', '0.9', '50,30,20'],
      ]) {
        const args = ['sample-size', '--json', '--margin', margin, '--confidence', confidence];
        if (expect) args.push('--expect', expect);
        const cli = npskitJson(...args);
        const plan = core.sampleSize({
          margin: Number(margin),
          confidence: Number(confidence),
          expect: expect ? countsOf(expect.split(',').map(Number)) : undefined,
        });
        assert.equal(plan.n, cli.n);
        assert.equal(plan.variance, cli.variance);
        assert.equal(plan.z, cli.z);
      }
      // n = z^2 (V_a + V_b) / d^2 with z = z_0.975 + z_0.8 and V = 1 each.
      const difference = core.sampleSize({ difference: 10, power: 0.8 });
      assert.equal(difference.variance, 2);
      assertRounded(difference.z, 1.959964 + 0.841621, 5, 'z');
      assert.equal(difference.n, Math.ceil((difference.z ** 2 * 2) / 0.1 ** 2));
      const cli = npskitJson('sample-size', '--json', '--difference', '10', '--power', '0.8');
      assert.deepEqual(difference, { n: cli.n_per_group, variance: cli.variance, z: cli.z });
      const split = core.sampleSize({
        difference: 5,
        expect: [countsOf([50, 30, 20]), countsOf([40, 35, 25])],
      });
      const cliSplit = npskitJson(
        'sample-size',
        '--json',
        '--difference',
        '5',
        '--expect',
        '50,30,20',
        '--expect',
        '40,35,25',
      );
      assert.deepEqual(split, {
        n: cliSplit.n_per_group,
        variance: cliSplit.variance,
        z: cliSplit.z,
      });
    });

    test('classify puts 0..6, 7..8 and 9..10 where the method says', () => {
      const categories = Array.from({ length: 11 }, (_, score) => core.classify(score));
      assert.deepEqual(categories, [
        ...new Array(7).fill('detractor'),
        'passive',
        'passive',
        'promoter',
        'promoter',
      ]);
      assert.deepEqual([...core.scoreCategories], categories);
      assert.throws(() => {
        core.scoreCategories[0] = 'promoter';
      }, TypeError);
    });

    test("the default bands and their checks are the command's", () => {
      const bands = core.defaultBands();
      assert.deepEqual(
        bands.map(({ name, lower }) => `${name}:${lower}`).join(','),
        'negative:-100,fair:0,good:20,very-good:50,world-class:75',
      );
      bands[0].name = 'changed';
      assert.equal(core.defaultBands()[0].name, 'negative', 'a copy each time');
      assert.deepEqual(core.checkBands('low:-100,high:40'), [
        { name: 'low', lower: -100 },
        { name: 'high', lower: 40 },
      ]);
      for (const [bad, flag] of [
        ['low:-90,high:40', 'low:-90,high:40'],
        ['low:-100,high:40,mid:20', 'low:-100,high:40,mid:20'],
        ['low:-100,low:40', 'low:-100,low:40'],
      ]) {
        let message;
        assert.throws(
          () => core.checkBands(bad),
          (error) => {
            message = error.message;
            return error.code === 'invalid_argument';
          },
        );
        const cli = npskitRun('summarize', '--counts', '1,1,1', '--bands', flag);
        assert.equal(cli.status, 2);
        assert.ok(cli.stderr.includes(message), `${cli.stderr} does not say ${message}`);
      }
      assert.equal(core.defaultMethod, 'tango');
      assert.equal(core.defaultConfidence, 0.95);
    });

    test('pasted scores are read like scores in a file, rejections by line', () => {
      const pasted = core.parseScores('9\n9.0, 10; 3\r\nnine\t11\n\n+7 8,0 9.5');
      assert.deepEqual(pasted.histogram, [1, 0, 0, 1, 0, 0, 0, 1, 1, 2, 1]);
      assert.equal(pasted.rejected, 3);
      assert.deepEqual(
        pasted.rejections.map(({ line }) => line),
        [3, 3, 5],
      );
      assert.match(pasted.rejections[0].reason, /^line 3: score "nine" is not a number/);
      assert.match(pasted.rejections[1].reason, /^line 3: score "11" is not from 0 to 10/);
      assert.match(pasted.rejections[2].reason, /^line 5: score "9\.5" is not a whole number/);
      const fromFile = npskitJson('summarize', '--json', '--histogram', pasted.histogram.join(','));
      assert.deepEqual(core.summarize({ histogram: pasted.histogram }), fromFile);
      assert.deepEqual(core.parseScores(''), {
        histogram: new Array(11).fill(0),
        rejected: 0,
        rejections: [],
      });
    });
  });
}
