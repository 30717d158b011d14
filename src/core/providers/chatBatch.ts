import type OpenAI from 'openai';
import type { ChatRequest, ChatResponse } from './chatProvider';
import { ProviderError } from './chatProvider';
import { answerOf, chatBody } from './chatWire';
import { errorKindOfStatus } from '../task/errorKinds';
import { loadOpenaiSdk } from './sdk';
import { sleep } from './sleep';
import { BATCH_POLL_SECONDS } from '../defaults';

export interface BatchRequest {
  /** Unique within the batch; comes back with the answer. */
  customId: string;
  req: ChatRequest;
}

export interface BatchOptions {
  signal?: AbortSignal;
  /** How often to ask whether the batch is done (default BATCH_POLL_SECONDS). */
  pollMs?: number;
  onStatus?: (status: string, counts: { total: number; completed: number; failed: number }) => void;
}

export type BatchAnswer = ChatResponse | ProviderError;

const DONE = new Set(['completed', 'failed', 'expired', 'cancelled']);

/**
 * Sends many Chat Completions requests through the OpenAI Batch API: one JSONL file upload,
 * one batch, polled until it ends, then its output (and error) files read back. Cheaper and
 * kinder to rate limits than thousands of interactive calls, at the cost of waiting (up to
 * the 24 h completion window). Every request must name the same model.
 */
export async function runChatBatch(client: OpenAI, requests: readonly BatchRequest[], opts: BatchOptions = {}): Promise<Map<string, BatchAnswer>> {
  const answers = new Map<string, BatchAnswer>();
  if (!requests.length) return answers;
  const lines = requests.map((r) =>
    JSON.stringify({
      custom_id: r.customId,
      method: 'POST',
      url: '/v1/chat/completions',
      body: chatBody(r.req),
    }),
  );
  const signal = opts.signal;
  const { toFile } = await loadOpenaiSdk();
  const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n') + '\n'), 'editscope-batch.jsonl'), purpose: 'batch' }, { signal });
  let batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }, { signal });
  const pollMs = opts.pollMs ?? BATCH_POLL_SECONDS * 1000;
  while (!DONE.has(batch.status)) {
    opts.onStatus?.(batch.status, countsOf(batch));
    try {
      await sleep(pollMs, signal);
    } catch (err) {
      // Leave nothing running that the user stopped waiting for.
      await client.batches.cancel(batch.id).catch(() => undefined);
      throw err;
    }
    batch = await client.batches.retrieve(batch.id, { signal });
  }
  opts.onStatus?.(batch.status, countsOf(batch));
  for (const id of [batch.output_file_id, batch.error_file_id]) {
    if (!id) continue;
    const text = await (await client.files.content(id, { signal })).text();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let row: BatchOutputLine;
      try {
        row = JSON.parse(line) as BatchOutputLine;
      } catch {
        continue;
      }
      if (typeof row.custom_id === 'string') answers.set(row.custom_id, answerOfLine(row));
    }
  }
  // Whatever the batch never answered (expired, cancelled, failed validation) fails with its status.
  const why = batch.status === 'completed' ? 'no answer in the batch output' : `the batch ended "${batch.status}"${batch.errors?.data?.[0]?.message ? `: ${batch.errors.data[0].message}` : ''}`;
  for (const r of requests) if (!answers.has(r.customId)) answers.set(r.customId, new ProviderError(batch.status === 'expired' ? 'timeout' : 'server', `Batch ${batch.id}: ${why}`));
  return answers;
}

interface BatchOutputLine {
  custom_id?: string;
  response?: { status_code?: number; body?: { choices?: Array<{ message?: { content?: string | null }; finish_reason?: string }>; usage?: { prompt_tokens: number; completion_tokens: number }; error?: { message?: string } } } | null;
  error?: { code?: string; message?: string } | null;
}

function answerOfLine(row: BatchOutputLine): BatchAnswer {
  const status = row.response?.status_code ?? 0;
  const body = row.response?.body;
  if (row.error || status >= 400 || !body) {
    const message = row.error?.message ?? body?.error?.message ?? `status ${status}`;
    return new ProviderError(errorKindOfStatus(status), `Batch request failed (${status || row.error?.code || 'error'}): ${message}`, status || undefined);
  }
  return { ...answerOf(body.choices?.[0], body.usage), retries: 0 };
}

function countsOf(b: OpenAI.Batches.Batch): { total: number; completed: number; failed: number } {
  return { total: b.request_counts?.total ?? 0, completed: b.request_counts?.completed ?? 0, failed: b.request_counts?.failed ?? 0 };
}
