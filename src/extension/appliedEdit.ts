import * as vscode from 'vscode';
import type { Applied, HunkVerdict } from '../core/log/records';
import { changedLines, linesOf, measureRetention, type Retention } from '../core/log/retention';
import { splitLines } from '../core/text/lines';
import { followSpan, type Span } from './rangeTracking';

export type AppliedState = 'applied' | 'reverted';

/** What one measurement found: the share kept and the region's text now. */
export interface Measurement extends Retention {
  text: string;
  /** 1-based inclusive lines of the original file the apply replaced. */
  region: { start: number; end: number };
  elapsedMs: number;
}

/**
 * One model's edit as applied to a document, followed through every later change: where its
 * lines are now, whether an undo took it back (or a redo brought it back), and how much of it
 * is still there. The region is whole lines, so its text can be compared with the lines
 * before and just after the apply.
 */
export class AppliedEdit implements vscode.Disposable {
  state: AppliedState = 'applied';
  private span: Span;
  private readonly originalRegion: string;
  private readonly appliedRegion: string;
  readonly region: { start: number; end: number };
  private readonly appliedAt = Date.now();
  /** The document's version just after the apply: a later version is someone's edit. */
  private readonly appliedVersion: number | undefined;
  /**
   * The document was edited since the apply other than by undo or redo: by the person, or by
   * a tool acting for them (a formatter). Until then a save (auto-save, a second after the
   * apply) says nothing about what they kept.
   */
  editedSince = false;
  private readonly changed = new vscode.EventEmitter<AppliedState>();
  /** Fires when an undo takes the edit back or a redo brings it back. */
  readonly onDidChangeState = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly uri: vscode.Uri,
    readonly model: string,
    readonly accepted: Applied,
    /** Every hunk of the answer and whether the apply wrote it, for the verdict a redo writes again. */
    readonly hunks: HunkVerdict[],
    /** The whole document before and just after the apply. */
    private readonly before: string,
    private readonly after: string,
  ) {
    const lines = changedLines(before, after);
    this.region = { start: lines.start, end: lines.originalEnd };
    this.originalRegion = linesOf(before, lines.start, lines.originalEnd);
    this.appliedRegion = linesOf(after, lines.start, lines.appliedEnd);
    const t = splitLines(after);
    this.span = { start: t.starts[lines.start - 1] ?? after.length, end: t.starts[lines.appliedEnd] ?? after.length };
    this.appliedVersion = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.version;
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() === uri.toString() && e.contentChanges.length) this.follow(e);
    });
  }

  private follow(e: vscode.TextDocumentChangeEvent): void {
    for (const c of e.contentChanges) this.span = followSpan(this.span, { offset: c.rangeOffset, length: c.rangeLength, text: c.text });
    if (e.reason === undefined) {
      if (this.appliedVersion === undefined || e.document.version > this.appliedVersion) this.editedSince = true;
      return;
    }
    // Only an undo or a redo changes the verdict: typing the old lines back by hand is an
    // edit of the applied lines, which retention measures.
    const now = this.regionText(e.document);
    const whole = e.document.getText();
    if (e.reason === vscode.TextDocumentChangeReason.Undo && this.state === 'applied' && (now === this.originalRegion || whole === this.before)) {
      this.state = 'reverted';
      this.changed.fire(this.state);
    } else if (e.reason === vscode.TextDocumentChangeReason.Redo && this.state === 'reverted' && (now === this.appliedRegion || whole === this.after)) {
      this.state = 'applied';
      this.changed.fire(this.state);
    }
  }

  /** The region's lines as they are in the document now. */
  private regionText(doc: vscode.TextDocument): string {
    const text = doc.getText();
    const start = Math.min(this.span.start, text.length);
    const end = Math.min(Math.max(this.span.end, start), text.length);
    // An edit since may have left the ends mid-line: widen to whole lines.
    const from = text.lastIndexOf('\n', start - 1) + 1;
    let to = end;
    if (to > from && to < text.length && text[to - 1] !== '\n') {
      const nl = text.indexOf('\n', to);
      to = nl < 0 ? text.length : nl + 1;
    }
    return text.slice(from, to);
  }

  measure(doc: vscode.TextDocument): Measurement {
    const text = this.regionText(doc);
    return { ...measureRetention(this.originalRegion, this.appliedRegion, text), text, region: this.region, elapsedMs: Date.now() - this.appliedAt };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
