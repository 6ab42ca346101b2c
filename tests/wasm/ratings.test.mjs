// CSAT and CES through the built module, in both builds: the reader's
// "csat"/"ces" blocks equal `npskit summarize --json` on the same file, and
// the rating functions equal the blocks and tests the command computes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { builds, loadCore, npskitRun } from './support.mjs';

const directory = mkdtempSync(path.join(tmpdir(), 'npskit-ratings-'));
after(() => rmSync(directory, { recursive: true, force: true }));

const csv =
  'score,Satisfaction,effort,segment\n' +
  '9,5,6,web\n10,4,,web\n3,2,2,app\n,5,,app\n7,,7,web\n8,3,5,app\n,1,,web\n6,6,3,app\n' +
  '10,4,7,web\n2,1,1,app\n';
const flags = ['--csat-column', 'Satisfaction', '--ces-column', 'effort'];

function commandSummary(...extra) {
  const file = path.join(directory, 'ratings.csv');
  writeFileSync(file, csv);
  const run = npskitRun('summarize', '--json', ...flags, ...extra, file);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

// The command's plan for each argument list, run once for all builds.
const commandPlans = new Map();
function planOfCommand(args) {
  const key = args.join(' ');
  if (!commandPlans.has(key)) {
    const run = npskitRun(...args);
    assert.equal(run.status, 0, run.stderr);
    commandPlans.set(key, JSON.parse(run.stdout));
  }
  return commandPlans.get(key);
}

for (const build of builds) {
  describe(`CSAT and CES in the ${build.name} build`, () => {
    let core;
    before(async () => {
      core = await loadCore(build);
    });

    test('the reader reports csat and ces blocks as the command does', () => {
      for (const by of ['none', 'segment']) {
        const expected = commandSummary(...(by === 'none' ? [] : ['--by', by]));
        const reader = core.createReader({ csatColumn: 'Satisfaction', cesColumn: 'effort', by });
        reader.push(csv);
        const summary = reader.finish();
        assert.deepEqual(summary.csat, expected.csat);
        assert.deepEqual(summary.ces, expected.ces);
        assert.equal(summary.n, expected.n);
        assert.equal(summary.rejected, 1);
        assert.match(summary.rejections[0].reason, /csat "6" must be an integer from 1 to 5/);
      }
    });

    test('ratings.summarize of the values equals the command’s block', () => {
      const expected = commandSummary();
      const csat = core.ratings.summarize('csat', [5, 4, 2, 5, 3, 1, 4, 1]);
      assert.deepEqual(csat, expected.csat);
      const ces = core.ratings.summarize('ces', { histogram: [1, 1, 0, 0, 1, 1, 2] });
      assert.deepEqual(ces, expected.ces);
    });

    test('ratings.compare equals the segment tests of the command', () => {
      const expected = commandSummary('--by', 'segment');
      const app = expected.ces.groups.find((group) => group.key === 'app');
      const tested = core.ratings.compare('ces', [2, 5, 1], [6, 7, 7]);
      assert.deepEqual(tested.share, app.versus.share);
      assert.deepEqual(tested.mean, app.versus.mean);
    });

    test('n = 0 and n = 1 give nulls where nothing is known', () => {
      const none = core.ratings.summarize('csat', []);
      assert.equal(none.n, 0);
      assert.equal(none.share, null);
      assert.equal(none.mean_interval, null);
      const one = core.ratings.summarize('ces', [6]);
      assert.equal(one.share, 100);
      assert.equal(one.share_interval.method, 'wilson');
      assert.equal(one.sd, null);
      assert.equal(one.mean_interval, null);
    });

    test('sample sizes and pasted ratings come from the core', () => {
      assert.equal(core.ratings.sampleSize('csat', { kind: 'share', margin: 5 }).n, 385);
      assert.equal(core.ratings.sampleSize('csat', { kind: 'mean', margin: 0.1 }).n, 1540);
      assert.equal(
        core.ratings.sampleSize('ces', { kind: 'mean-difference', difference: 0.5 }).n,
        566,
      );
      const pasted = core.ratings.parse('csat', '5 4\n6, 3');
      assert.deepEqual(pasted.histogram, [0, 0, 1, 1, 1]);
      assert.equal(pasted.rejections[0].reason, 'line 2: csat "6" must be an integer from 1 to 5');
    });

    test('every kind of rating plan equals the command’s, to the last bit', () => {
      const plans = [];
      for (const metric of ['csat', 'ces']) {
        for (const confidence of [0.9, 0.95, 0.99]) {
          for (const expect of [undefined, 30, 80]) {
            plans.push({ metric, kind: 'share', margin: 3, confidence, expect });
            plans.push({ metric, kind: 'share-difference', difference: 5, confidence, expect });
          }
          plans.push({
            metric,
            kind: 'share-difference',
            difference: 4,
            confidence,
            power: 0.9,
            expect: [80, 85],
          });
          for (const expect of [undefined, 0.8]) {
            plans.push({ metric, kind: 'mean', margin: 0.1, confidence, expect });
            plans.push({ metric, kind: 'mean-difference', difference: 0.3, confidence, expect });
          }
        }
      }
      const differences = [];
      for (const { metric, kind, expect, ...plan } of plans) {
        const args = ['sample-size', '--json', '--metric', metric];
        args.push('--of', kind.startsWith('mean') ? 'mean' : 'share');
        const margin = !kind.endsWith('difference');
        args.push(margin ? '--margin' : '--difference', String(plan.margin ?? plan.difference));
        args.push('--confidence', String(plan.confidence));
        if (plan.power) args.push('--power', String(plan.power));
        for (const value of [expect].flat().filter((item) => item !== undefined))
          args.push('--expect', String(value));
        const command = planOfCommand(args);
        const module = core.ratings.sampleSize(metric, { kind, expect, ...plan });
        const same =
          module.n === (margin ? command.n : command.n_per_group) &&
          Object.is(module.variance, command.variance) &&
          Object.is(module.z, command.z) &&
          (!margin || Object.is(module.half_width, command.half_width));
        if (!same)
          differences.push(`${args.join(' ')}: ${JSON.stringify(module)} vs ${run.stdout}`);
      }
      assert.equal(plans.length, 66);
      assert.deepEqual(differences, []);
    });

    test('bad input is an NpsError naming it', () => {
      assert.throws(() => core.ratings.summarize('stars', [1]), { code: 'invalid_argument' });
      assert.throws(() => core.ratings.summarize('csat', [6]), {
        code: 'invalid_score',
        message: 'input[0] is 6; csat must be an integer from 1 to 5',
      });
      assert.throws(() => core.ratings.summarize('ces', { histogram: [1, 2] }), {
        code: 'invalid_argument',
      });
    });
  });
}
