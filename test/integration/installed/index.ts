import { runSuite, testFiles } from '../runSuite';

/** The suite for the packaged .vsix installed into a fresh editor. */
export function run(): Promise<void> {
  return runSuite(testFiles(__dirname));
}
