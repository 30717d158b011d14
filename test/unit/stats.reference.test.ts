import * as assert from 'node:assert/strict';
import { binomialCdf, normalQuantile, studentTQuantile } from '../../src/core/stats/distributions';
import { percentileInterval, Sample, wilson } from '../../src/core/stats/interval';
import { mcnemarExact, minimumDetectable, pairedDifference } from '../../src/core/stats/paired';
import { seededRandom } from '../../src/core/stats/random';

const close = (actual: number, expected: number, tol = 1e-6, what = '') => assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not ${expected} (within ${tol})`);

/**
 * Reference values, none from our own code: Wilson bounds from Newcombe (1998), "Two-sided
 * confidence intervals for the single proportion", Statistics in Medicine 17, Table I (to
 * four decimals as published), and to full precision from the formula evaluated with
 * scipy.stats.norm.ppf(0.975) in Python; McNemar's exact p from scipy.stats.binomtest(b, b + c, 0.5).
 */
const WILSON: Array<[number, number, number, number]> = [
  [81, 263, 0.2552885198782742, 0.36620957698280004],
  [15, 148, 0.0623863995307363, 0.16048724172330803],
  [0, 20, 0, 0.16112515805281938],
  [1, 29, 0.006113214292762653, 0.17175521879320288],
  [12, 60, 0.11828505322897492, 0.317818058056279],
  [60, 60, 0.93982814785791, 1],
  [7, 9, 0.4525889691069889, 0.9367748928821533],
];
const NEWCOMBE: Array<[number, number, number, number]> = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
];
const MCNEMAR: Array<[number, number, number]> = [
  [3, 12, 0.03515625],
  [0, 5, 0.0625],
  [10, 10, 1],
  [25, 45, 0.022462895492509273],
  [1, 0, 1],
  [59, 89, 0.016841422756845043],
];

describe('statistics against reference values', () => {
  it('normal and t quantiles match scipy', () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-9, 'z 0.975');
    close(normalQuantile(0.8), 0.8416212335729143, 1e-9, 'z 0.8');
    close(studentTQuantile(0.975, 9), 2.262157162798205, 1e-6, 't 0.975, 9 dof');
  });

  it('Wilson bounds match the published table and scipy to 1e-6', () => {
    for (const [x, n, lo, hi] of NEWCOMBE) {
      const ci = wilson(x, n)!;
      close(ci[0], lo, 5e-5, `${x}/${n} lower (Newcombe)`);
      close(ci[1], hi, 5e-5, `${x}/${n} upper (Newcombe)`);
    }
    for (const [x, n, lo, hi] of WILSON) {
      const ci = wilson(x, n)!;
      close(ci[0], lo, 1e-6, `${x}/${n} lower`);
      close(ci[1], hi, 1e-6, `${x}/${n} upper`);
    }
    assert.equal(wilson(0, 0), null);
  });

  it("McNemar's exact p matches the binomial test to 1e-6", () => {
    for (const [b, c, p] of MCNEMAR) close(mcnemarExact(b, c), p, 1e-6, `McNemar ${b}/${c}`);
    // Agresti, Categorical Data Analysis: approval ratings 794/150/86/570; the exact test's p, from scipy.
    close(mcnemarExact(150, 86), 3.7159361395713866e-5, 1e-9, 'Agresti approval');
    assert.equal(mcnemarExact(0, 0), 1);
  });

  it('binomial CDF matches scipy, far into the tail and at large n', () => {
    close(binomialCdf(45, 100, 0.5), 0.18410080866334808, 1e-9, '45/100');
    close(binomialCdf(990, 2000, 0.5), 0.33547724277782703, 1e-9, '990/2000');
    close(binomialCdf(13, 60, 0.5), 6.073354011478654e-6, 1e-9, '13/60');
  });

  it('the minimum detectable difference is (z.975 + z.8) times the standard error', () => {
    close(minimumDetectable(0.02), (1.959963984540054 + 0.8416212335729143) * 0.02, 1e-9, 'mde');
  });

  it('a plain share gets the Wilson interval; a mean of independent scores gets t', () => {
    const s = new Sample();
    for (let i = 0; i < 263; i++) s.add(i < 81 ? 1 : 0, i);
    assert.deepEqual(s.interval(), wilson(81, 263));
    const m = new Sample(null);
    for (const [i, x] of [2, 4, 4, 5, 7, 8].entries()) m.add(x, i);
    // mean 5, sd 2.19089023, t(0.975, 5) = 2.570581835636314 (scipy): 5 ± 2.2991972.
    const ci = m.interval()!;
    close(ci[0], 5 - 2.570581835636314 * 2.1908902300206643 / Math.sqrt(6), 1e-6, 't lower');
    close(ci[1], 5 + 2.570581835636314 * 2.1908902300206643 / Math.sqrt(6), 1e-6, 't upper');
  });

  it("a clustered share: the seeded bootstrap's interval agrees with the CR1 cluster-robust formula, and past 200 clusters is that formula", () => {
    for (const clusters of [150, 300]) {
      const random = seededRandom(clusters);
      const s = new Sample();
      const sums: number[] = [];
      const counts: number[] = [];
      for (let g = 0; g < clusters; g++) {
        const p = random() < 0.5 ? 0.1 : 0.7;
        const size = 2 + Math.floor(random() * 5);
        let sum = 0;
        for (let i = 0; i < size; i++) {
          const x = random() < p ? 1 : 0;
          s.add(x, g, 1000 + g);
          sum += x;
        }
        sums.push(sum);
        counts.push(size);
      }
      // CR1 by hand: V = G/(G-1) * sum((s_g - p*c_g)^2) / N^2; Wilson at n_eff = p(1-p)/V with t(0.975, G-1) from scipy.
      const n = counts.reduce((a, b) => a + b, 0);
      const p = sums.reduce((a, b) => a + b, 0) / n;
      const v = (clusters / (clusters - 1)) * sums.reduce((acc, x, g) => acc + (x - p * counts[g]) ** 2, 0) / (n * n);
      const t = clusters === 150 ? 1.976013177689192 : 1.9679296690656698;
      const expected = wilson(p * ((p * (1 - p)) / v), (p * (1 - p)) / v, t)!;
      const ci = s.interval()!;
      const width = expected[1] - expected[0];
      const tol = clusters > 200 ? 1e-6 : 0.04 * width;
      assert.ok(Math.abs(ci[0] - expected[0]) <= tol && Math.abs(ci[1] - expected[1]) <= tol, `${clusters} clusters: ${ci} against ${expected}`);
    }
  });

  it('the order-statistic interval of a median holds the median and is reproducible', () => {
    const xs = Float64Array.from({ length: 101 }, (_, i) => i);
    const ci = percentileInterval(xs, 50)!;
    assert.ok(ci[0] < 50 && ci[1] > 50 && ci[0] >= 38 && ci[1] <= 62, String(ci));
  });

  it('a paired difference on identical sides is zero with p 1', () => {
    const a = [1, 0, 1, 1, 0, 1];
    const d = pairedDifference(a, a)!;
    assert.equal(d.diff, 0);
    assert.equal(d.p, 1);
    assert.deepEqual(d.ci, [0, 0]);
    assert.ok(d.mde > 0, 'a set with no disagreement still has a finite detectable difference');
  });

  it('the seeded generator gives the same stream for the same seed and uniform draws', () => {
    const r1 = seededRandom(7);
    const r2 = seededRandom(7);
    const xs = Array.from({ length: 20_000 }, () => r1());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => r2()));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    close(m, 0.5, 0.01, 'mean of uniform draws');
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });
});
