import { keyShapedValues, secretValues } from '../redact';
import type { ChatMessage } from '../providers/chatProvider';

/**
 * Keys never reach a model. Every prompt is scrubbed as the log is (the values of key-shaped
 * environment variables and the keys in use) and of every key-shaped value (KEY_SHAPES), in
 * the selection, the context and the files the model may change alike. Each is sent as a
 * numbered stand-in, `[redacted-1]`, and a stand-in in the answer is turned back into its
 * value, so the edit of a file holding a key keeps the key, and one that drops it is seen.
 */
export interface MaskedPrompt {
  messages: ChatMessage[];
  /** The answer with every stand-in turned back into the value it stands for. */
  unmask(text: string): string;
  /** How many values were hidden. */
  hidden: number;
}

export function maskSecrets(messages: readonly ChatMessage[], env: NodeJS.ProcessEnv, extra: readonly string[] = []): MaskedPrompt {
  const all = messages.map((m) => m.content).join('\n');
  const values = [...new Set([...secretValues(env, extra).filter((v) => all.includes(v)), ...keyShapedValues(all)])].sort((a, b) => b.length - a.length);
  if (!values.length) return { messages: [...messages], unmask: (t) => t, hidden: 0 };
  const { tokens, mask } = standIns(values);
  const back = [...tokens].map(([v, token]) => [token, v] as const).reverse();
  return {
    messages: messages.map((m) => ({ ...m, content: mask(m.content) })),
    unmask: (text) => {
      let out = text;
      for (const [token, v] of back) if (out.includes(token)) out = out.split(token).join(v);
      return out;
    },
    hidden: values.length,
  };
}

/** Each value (longest first) with its numbered stand-in, and the function putting them in. */
function standIns(values: readonly string[]): { tokens: Map<string, string>; mask: (text: string) => string } {
  const tokens = new Map<string, string>();
  values.forEach((v, i) => tokens.set(v, `[redacted-${i + 1}]`));
  const mask = (text: string) => {
    let out = text;
    for (const [v, token] of tokens) if (out.includes(v)) out = out.split(v).join(token);
    return out;
  };
  return { tokens, mask };
}

/**
 * For files that leave the machine (fine-tuning data, evals, a promptfoo config): the
 * key-shaped values of all these texts, each replaced by the same stand-in wherever it is,
 * so a prompt, its answers and what they are graded against still agree with each other.
 */
export function keyStandIns(texts: readonly string[]): (text: string) => string {
  const values = [...new Set(texts.flatMap((t) => keyShapedValues(t)))].sort((a, b) => b.length - a.length);
  return values.length ? standIns(values).mask : (t) => t;
}
