/**
 * Results kept for the last few texts seen, keyed by the text itself: a selection's locality
 * reads the same large modules (a barrel, a 5,000-line schemas.ts) on every call, and masking
 * or indexing one costs milliseconds, where looking a string up costs one hash of it.
 */
export class TextMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly max: number) {}

  get(text: string, make: (text: string) => T): T {
    let v = this.entries.get(text);
    if (v !== undefined) {
      // Most recently used last, so the oldest is the first to go.
      this.entries.delete(text);
    } else {
      v = make(text);
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(text, v);
    return v;
  }
}
