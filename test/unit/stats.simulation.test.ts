import * as assert from 'node:assert/strict';
import { buildReport } from '../../src/core/report/compute';
import type { LogRecord } from '../../src/core/log/records';
import { wilson } from '../../src/core/stats/interval';
import { seededRandom } from '../../src/core/stats/random';

/**
 * Logs simulated with known true rates, run through the real report: a 95% interval has to
 * hold the truth in about 95% of the simulated logs. Seeded, so the figures are the same on
 * every run; the bounds are wide enough (93-97%) for the simulation's own noise.
 */
function taskRecord(id: string, file: string, instruction: string, outOfScope: boolean, drift: boolean): LogRecord {
  return {
    schemaVersion: 2, kind: 'task', id, time: '2026-11-20T10:00:00.000Z', file, fileHash: `h-${file}`, language: 'typescript',
    ranges: [{ start: 3, end: 9 }], instruction, window: { start: 1, end: 20 }, windowText: '', contextFiles: [], dependsOn: [], editFiles: [],
    locality: 'local', promptTemplate: { id: 'editscope-whole', version: 1 },
    results: [{
      model: 'm', provider: 'p', parameters: {}, ok: true, error: null, output: '',
      analysis: { hunks: [], outOfScopeHunks: outOfScope ? 1 : 0, styleDrift: drift ? [{ rule: 'quotes', line: 1, message: 'q' }] : [] } as never,
      latencyMs: 100, ttftMs: null, usage: null, costUsd: null, retries: 0,
    }],
  } as LogRecord;
}

const covered = (ci: [number, number] | null, truth: number) => !!ci && ci[0] <= truth && truth <= ci[1];

describe('intervals on simulated logs with known rates', function () {
  this.timeout(120_000);

  it('a plain share: the Wilson interval holds the true rate in 93-97% of 1000 logs', () => {
    const random = seededRandom(11);
    for (const truth of [0.3, 0.08]) {
      let hits = 0;
      const sims = 1000;
      for (let s = 0; s < sims; s++) {
        const records = Array.from({ length: 120 }, (_, i) => taskRecord(`t${i}`, `src/f${i}.ts`, 'do it', random() < truth, false));
        if (covered(buildReport(records).models[0].ci.outOfScopeRate, truth)) hits++;
      }
      const coverage = hits / sims;
      assert.ok(coverage >= 0.93 && coverage <= 0.97, `coverage at ${truth}: ${coverage}`);
    }
  });

  it('repeated runs of a task: the clustered interval stays honest where a naive one would not', () => {
    const random = seededRandom(23);
    // Tasks differ a lot (some nearly always overreach, some nearly never); each is run 6 times.
    const rates = [0.02, 0.1, 0.35, 0.9];
    const truth = rates.reduce((a, b) => a + b, 0) / rates.length;
    const sims = 1000;
    let ours = 0;
    let naive = 0;
    for (let s = 0; s < sims; s++) {
      const records: LogRecord[] = [];
      for (let t = 0; t < 50; t++) {
        const p = rates[Math.floor(random() * rates.length)];
        for (let run = 0; run < 6; run++) records.push(taskRecord(`t${t}-${run}`, `src/f${t}.ts`, `task ${t}`, random() < p, false));
      }
      const m = buildReport(records).models[0];
      if (covered(m.ci.outOfScopeRate, truth)) ours++;
      if (covered(wilson(m.outOfScopeRate! * m.ok, m.ok), truth)) naive++;
    }
    assert.ok(ours / sims >= 0.93 && ours / sims <= 0.97, `clustered coverage ${ours / sims}`);
    assert.ok(naive / sims < 0.85, `the naive interval was expected to fall short: ${naive / sims}`);
  });

  it('several tasks from one file: results are clustered by file when the files are many enough', () => {
    const random = seededRandom(31);
    const sims = 400;
    let ours = 0;
    let naive = 0;
    // Each file has its own tendency to drift (its style), shared by every task on it.
    for (let s = 0; s < sims; s++) {
      const records: LogRecord[] = [];
      for (let f = 0; f < 40; f++) {
        const p = random() < 0.5 ? 0.1 : 0.6;
        for (let t = 0; t < 5; t++) records.push(taskRecord(`f${f}-${t}`, `src/f${f}.ts`, `change ${t}`, false, random() < p));
      }
      const m = buildReport(records).models[0];
      if (covered(m.ci.styleDriftRate, 0.35)) ours++;
      if (covered(wilson(m.styleDriftRate! * m.ok, m.ok), 0.35)) naive++;
    }
    assert.ok(ours / sims >= 0.93 && ours / sims <= 0.975, `clustered coverage ${ours / sims}`);
    assert.ok(naive / sims < 0.88, `naive coverage ${naive / sims}`);
  });
});
