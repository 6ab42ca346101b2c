// Streaming a large export keeps the module's memory bounded by the chunk
// size, not the file size: ~30 MB through each build's reader may grow its
// linear memory by a few MiB at most.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { builds, loadCore } from './support.mjs';

const targetBytes = 30 * 1000 * 1000;
const allowedGrowth = 8 * 1024 * 1024;
const words = [
  'fast',
  'support',
  'slow',
  'export',
  'price',
  'great',
  'dashboard',
  'crash',
  'team',
  'billing',
];

// A few distinct 1 MiB pieces of whole rows, repeated until the export is
// ~30 MB; every row has a timestamp, one of 20 segments and a comment.
function rowChunks() {
  const encoder = new TextEncoder();
  const chunks = [];
  let row = 0;
  for (let piece = 0; piece < 4; piece += 1) {
    const lines = [];
    let length = 0;
    while (length < 1 << 20) {
      const month = String(1 + (row % 12)).padStart(2, '0');
      const comment = `${words[row % 10]} ${words[(row * 3) % 10]}, ${words[(row * 7) % 10]}`;
      const line = `${row},2026-${month}-15T10:00:00Z,${(row * 7) % 11},segment-${row % 20},"${comment}"\n`;
      lines.push(line);
      length += line.length;
      row += 1;
    }
    chunks.push({ bytes: encoder.encode(lines.join('')), rows: lines.length });
  }
  return chunks;
}

describe('memory', () => {
  const chunks = rowChunks();

  for (const build of builds) {
    test(`${build.name}: a 30 MB export grows the module's memory by less than 8 MiB`, async () => {
      const core = await loadCore(build);
      const before = core.memoryBytes();
      const reader = core.createReader({ by: 'month' });
      reader.push('id,submitted_at,score,segment,comment\n');
      let bytes = 0;
      let rows = 0;
      let peak = before;
      for (let index = 0; bytes < targetBytes; index += 1) {
        const chunk = chunks[index % chunks.length];
        reader.push(chunk.bytes);
        bytes += chunk.bytes.length;
        rows += chunk.rows;
        peak = Math.max(peak, core.memoryBytes());
      }
      const summary = reader.finish();
      assert.equal(summary.n, rows, 'every row was read');
      assert.equal(summary.groups.length, 12);
      assert.ok(
        peak - before < allowedGrowth,
        `memory grew from ${before} to ${peak} bytes reading ${bytes} bytes`,
      );
    });
  }
});
