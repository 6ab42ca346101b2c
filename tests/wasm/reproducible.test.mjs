// The wasm2js fallback prints the same numbers as the WebAssembly module and
// the native command, to the last bit: the core computes its logarithm,
// exponential and erfc from correctly rounded operations only, where wasm2js
// would otherwise use JavaScript's Math.log and the command glibc's log.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { builds, loadCore, npskitBinary, seededRandom } from './support.mjs';

const run = promisify(execFile);

// The command's JSON for each argument list, four runs at a time: 3,307 runs
// one after the other would spend most of their time starting processes.
async function commandAnswers(argumentLists) {
  const answers = new Array(argumentLists.length);
  let next = 0;
  async function worker() {
    while (next < argumentLists.length) {
      const index = next;
      next += 1;
      const { stdout } = await run(npskitBinary, argumentLists[index], { maxBuffer: 1 << 20 });
      answers[index] = JSON.parse(stdout);
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
  return answers;
}

// 3,007 confidence levels: every 0.001, every 0.00001 above 0.99 (where the
// quantile takes the logarithm of a tiny tail), powers of ten down to 1e-9,
// and 1,000 random levels.
function confidenceLevels() {
  const levels = [];
  for (let i = 1; i <= 999; i += 1) levels.push(i / 1000);
  for (let i = 1; i <= 999; i += 1) levels.push(0.99 + i * 1e-5);
  for (let k = 1; k <= 9; k += 1) levels.push(10 ** -k);
  const random = seededRandom(3007);
  for (let i = 0; i < 1000; i += 1) levels.push(random() * 0.999999 + 5e-7);
  return levels;
}

// 300 plans: 240 for a margin (every method, skewed and unanimous splits)
// and 60 for a difference (the power's quantile).
function plans() {
  const out = [];
  for (const margin of [2, 3, 5, 10]) {
    for (const confidence of [0.8, 0.9, 0.95, 0.99]) {
      for (const expect of [null, [50, 30, 20], [95, 5, 0], [1, 0, 0], [10, 10, 80]]) {
        for (const method of ['wald', 'adjusted-wald', 'tango']) {
          out.push({ margin, confidence, expect, method });
        }
      }
    }
  }
  for (const difference of [3, 5, 10, 15, 20]) {
    for (const power of [0.7, 0.8, 0.9, 0.95]) {
      for (const confidence of [0.9, 0.95, 0.99]) out.push({ difference, power, confidence });
    }
  }
  return out;
}

const countsOf = ([promoters, passives, detractors]) => ({ promoters, passives, detractors });

function commandArguments(plan) {
  const args = ['sample-size', '--json', '--confidence', String(plan.confidence)];
  if (plan.margin != null) {
    args.push('--margin', String(plan.margin), '--method', plan.method);
    if (plan.expect) args.push('--expect', plan.expect.join(','));
  } else {
    args.push('--difference', String(plan.difference), '--power', String(plan.power));
  }
  return args;
}

// The command's plan under the module's field names.
function commandPlan(plan, answer) {
  if (plan.margin != null) {
    return { n: answer.n, variance: answer.variance, z: answer.z, half_width: answer.half_width };
  }
  return { n: answer.n_per_group, variance: answer.variance, z: answer.z };
}

function modulePlan(core, plan) {
  if (plan.margin != null) {
    return core.sampleSize({
      margin: plan.margin,
      confidence: plan.confidence,
      method: plan.method,
      expect: plan.expect ? countsOf(plan.expect) : undefined,
    });
  }
  return core.sampleSize({
    difference: plan.difference,
    power: plan.power,
    confidence: plan.confidence,
  });
}

describe('wasm2js, WebAssembly and the command print the same numbers', () => {
  const levels = confidenceLevels();
  // One command run per level gives the critical value and a Tango plan that
  // depends on it.
  const levelPlans = levels.map((confidence) => ({ margin: 5, confidence, method: 'tango' }));
  const allPlans = plans();
  const cores = {};
  let levelAnswers;
  let planAnswers;
  before(async () => {
    for (const build of builds) cores[build.name] = await loadCore(build);
    levelAnswers = await commandAnswers(levelPlans.map(commandArguments));
    planAnswers = await commandAnswers(allPlans.map(commandArguments));
  });

  test('critical values and margin plans at 3,007 confidence levels', () => {
    assert.equal(levels.length, 3007);
    const differences = [];
    levelPlans.forEach((plan, index) => {
      const command = commandPlan(plan, levelAnswers[index]);
      for (const build of builds) {
        const core = cores[build.name];
        const z = core.zForConfidence(plan.confidence);
        const answer = modulePlan(core, plan);
        if (
          !Object.is(z, command.z) ||
          !Object.is(answer.half_width, command.half_width) ||
          answer.n !== command.n
        ) {
          differences.push(
            `${build.name} at ${plan.confidence}: z ${z}, ${JSON.stringify(answer)} vs command ` +
              JSON.stringify(command),
          );
        }
      }
    });
    assert.deepEqual(differences, [], `${differences.length} of ${levels.length} levels differ`);
  });

  test('300 sample-size plans', () => {
    assert.equal(allPlans.length, 300);
    const differences = [];
    allPlans.forEach((plan, index) => {
      const command = commandPlan(plan, planAnswers[index]);
      for (const build of builds) {
        const answer = modulePlan(cores[build.name], plan);
        const same = Object.keys(command).every((key) => Object.is(answer[key], command[key]));
        if (!same || Object.keys(answer).length !== Object.keys(command).length) {
          differences.push(
            `${build.name} ${JSON.stringify(plan)}: ${JSON.stringify(answer)} vs command ` +
              JSON.stringify(command),
          );
        }
      }
    });
    assert.deepEqual(differences, [], `${differences.length} of ${allPlans.length} plans differ`);
  });
});
