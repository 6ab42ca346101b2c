// CSAT and CES payloads at the collector: validated by the core with the
// same messages, stored as posted, never counted as NPS answers, and
// reported by /api/summary in "csat" and "ces" blocks that agree with
// `npskit summarize --json` on the collector's own export.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  answer,
  collectorForSuite,
  postAnswer,
  runNpskit,
  storedAnswers,
  temporaryFolder,
} from './server.mjs';

describe('CSAT and CES payloads', () => {
  const server = collectorForSuite();

  test('ratings off their scale are refused with the range', async () => {
    const six = await postAnswer(server, answer({ score: 9, csat: 6 }));
    assert.equal(six.status, 422);
    assert.match(six.text, /csat must be an integer from 1 to 5/);
    const standalone = await postAnswer(server, answer({ metric: 'ces', score: 8 }));
    assert.equal(standalone.status, 422);
    assert.match(standalone.text, /score must be an integer from 1 to 7 for metric \\?"ces\\?"/);
    const orphan = await postAnswer(server, answer({ score: 9, answer_id: answer().id }));
    assert.equal(orphan.status, 422);
    assert.match(orphan.text, /answer_id: only a csat or ces companion/);
  });

  test('summary joins companions and never counts them as NPS answers', async () => {
    const posted = [];
    const post = async (payload) => {
      const response = await postAnswer(server, payload);
      assert.ok(response.status < 300, `${response.status} ${response.text}`);
      posted.push(payload);
    };
    const web = answer({ score: 10, properties: { segment: 'web' }, csat: 5 });
    const app = answer({ score: 3, properties: { segment: 'app' } });
    await post(web);
    await post(app);
    await post(answer({ metric: 'ces', score: 2, answer_id: app.id }));
    await post(answer({ metric: 'ces', score: 6, answer_id: web.id }));
    await post(answer({ metric: 'csat', score: 4, properties: { segment: 'web' } }));
    await post(answer({ score: 8, properties: { segment: 'app' } }));

    const summary = (await server.request({ path: '/api/summary?by=segment' })).json();
    assert.equal(summary.n, 3, 'three NPS answers');
    assert.equal(summary.csat.n, 2);
    assert.equal(summary.csat.share, 100);
    assert.equal(summary.csat.share_interval.method, 'wilson');
    assert.equal(summary.ces.n, 2);
    assert.deepEqual(summary.ces.histogram, [0, 1, 0, 0, 0, 1, 0]);
    const cesApp = summary.ces.groups.find((group) => group.key === 'app');
    assert.equal(cesApp.n, 1, 'the companion counts in its answer’s segment');
    assert.equal(cesApp.mean, 2);

    const workspace = temporaryFolder();
    try {
      const exported = path.join(workspace.folder, 'export.jsonl');
      const lines = (await storedAnswers(server)).map((payload) => JSON.stringify(payload));
      writeFileSync(exported, `${lines.join('\n')}\n`);
      const command = runNpskit([
        'summarize',
        '--json',
        '--by',
        'segment',
        '--themes',
        '10',
        exported,
      ]);
      assert.equal(command.status, 0, command.stderr);
      const fromExport = JSON.parse(command.stdout);
      assert.deepEqual(summary.csat, fromExport.csat);
      assert.deepEqual(summary.ces, fromExport.ces);
      assert.equal(fromExport.n, summary.n);

      const csv = await server.request({ path: '/api/responses.csv' });
      assert.equal(csv.status, 200, csv.text);
      const exportedCsv = path.join(workspace.folder, 'export.csv');
      writeFileSync(exportedCsv, csv.raw);
      const fromCsv = runNpskit(['summarize', '--json', '--by', 'segment', exportedCsv]);
      assert.equal(fromCsv.status, 0, fromCsv.stderr);
      const csvSummary = JSON.parse(fromCsv.stdout);
      assert.equal(csvSummary.rejected, 0, JSON.stringify(csvSummary.rejections));
      assert.equal(csvSummary.n, summary.n);
      assert.deepEqual(csvSummary.csat, summary.csat);
      assert.deepEqual(csvSummary.ces, summary.ces);
    } finally {
      workspace.remove();
    }
  });
});
