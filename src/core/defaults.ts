/**
 * Every default in one place, read by the editor's settings, the CLI's options and help, and
 * the code behind them, so a default the user reads is the one the code uses. package.json
 * cannot import it: a unit test holds its `contributes.configuration` defaults equal to
 * SETTING_DEFAULTS. Nothing here imports anything: any layer may use it.
 */

/** The `editscope.*` settings' defaults, by setting name (package.json repeats them). */
export const SETTING_DEFAULTS = {
  providers: [] as unknown[],
  defaultModels: [] as string[],
  editFormat: 'whole' as 'whole' | 'search-replace',
  /** Lines of the file sent on each side of the region when the file is larger. */
  contextWindowLines: 400,
  context: 'ask' as 'ask' | 'auto' | 'off',
  /** Tokens the definitions the region depends on may take. */
  contextBudgetTokens: 8000,
  /** The eval log, relative to the workspace (CLI: the current folder). */
  logPath: '.editscope/evals.jsonl',
  /** One model's limit, retries included. */
  requestTimeoutSeconds: 120,
  /** Model requests in flight at once in the editor. */
  parallelRequests: 8,
  recordRetention: true,
  retentionMinutes: [2, 10],
};

/** Tasks replay sends at once, each to every model. */
export const REPLAY_CONCURRENCY = 4;
/** An eval set's test command's time limit. */
export const TEST_TIMEOUT_SECONDS = 60;
/** How often a Batch API job is asked whether it is done. */
export const BATCH_POLL_SECONDS = 30;
/** Retries for 429, 5xx and connection errors, and the first backoff. */
export const MAX_RETRIES = 3;
export const RETRY_BASE_MS = 500;
