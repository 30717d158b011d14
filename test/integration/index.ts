import { runSuite, testFiles } from './runSuite';

/** The suite's entry point for both launchers (code-server offline, test-electron online). */
export function run(): Promise<void> {
  return runSuite(testFiles(__dirname));
}
