/**
 * Runs `work(0)` .. `work(count - 1)`, at most `limit` at once: each worker takes the next
 * index as soon as it finishes one, so a slow item holds up only its own worker. Once `stop()`
 * says so no new item is started. Returns how many were started (items from there on never ran).
 */
export async function runPooled(count: number, limit: number, work: (i: number) => Promise<void>, stop: () => boolean = () => false): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && !stop()) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  return next;
}
