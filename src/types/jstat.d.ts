/** The few functions of jstat Edit Scope uses (the package ships no types). */
declare module 'jstat' {
  export const jStat: {
    normal: { inv(p: number, mean: number, sd: number): number };
    studentt: { inv(p: number, dof: number): number };
    binomial: { cdf(k: number, n: number, p: number): number };
  };
}
