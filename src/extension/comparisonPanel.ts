import * as vscode from 'vscode';
import type { Comparison } from './comparison';
import { parseFromWebview, type ColumnAction, type ToWebview } from './protocol';
import { makeNonce, renderPage } from './webview/page';
import { renderComparisonBody } from './webview/comparisonView';

export interface PanelHandlers {
  onAction(c: Comparison, action: ColumnAction, model: string, file?: string): void;
  onRerun(c: Comparison): void;
  onStop(c: Comparison): void;
  /** The panel now shows `c`, or nothing (`undefined`) once it is closed. */
  onShow(c: Comparison | undefined): void;
}

/** The one comparison panel: it shows the latest comparison (or the one asked for). */
export class ComparisonPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: Comparison | undefined;
  private subscription: vscode.Disposable | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handlers: PanelHandlers,
  ) {
    // A stale comparison must show it and stop offering Apply as soon as the document is edited.
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.current && e.document.uri.toString() === this.current.uri.toString()) this.update();
      }),
    );
  }

  get comparison(): Comparison | undefined {
    return this.panel ? this.current : undefined;
  }

  /** The comparison whose page has loaded and said so: what a person sees drawn (for tests and screenshots). */
  get drawn(): string | undefined {
    return this.panel?.visible ? this.readyFor : undefined;
  }
  private readyFor: string | undefined;

  show(c: Comparison, preserveFocus = true): void {
    if (!this.panel) this.panel = this.create();
    else this.panel.reveal(undefined, preserveFocus);
    if (this.current !== c) {
      this.subscription?.dispose();
      this.current = c;
      this.subscription = c.onDidChange(() => this.update());
      this.panel.title = `Edit Scope: ${c.task.file.split('/').pop()}`;
      this.readyFor = undefined;
      this.panel.webview.html = this.page(this.panel.webview, c);
      this.handlers.onShow(c);
    } else this.update();
  }

  private create(): vscode.WebviewPanel {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(
      'editscope.comparison',
      'Edit Scope',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [media], enableFindWidget: true },
    );
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.svg');
    panel.webview.onDidReceiveMessage((raw) => {
      const msg = parseFromWebview(raw);
      const c = this.current;
      if (!msg || !c) return;
      if (msg.type === 'ready') {
        this.readyFor = c.id;
        this.update();
      }
      else if (msg.type === 'rerun') this.handlers.onRerun(c);
      else if (msg.type === 'stop') this.handlers.onStop(c);
      else this.handlers.onAction(c, msg.action, msg.model, msg.file);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.subscription?.dispose();
      this.subscription = undefined;
      this.current = undefined;
      this.readyFor = undefined;
      this.handlers.onShow(undefined);
    });
    return panel;
  }

  private page(webview: vscode.Webview, c: Comparison): string {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    return renderPage({
      title: 'Edit Scope',
      nonce: makeNonce(),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'comparison.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'comparison.js')).toString(),
      body: renderComparisonBody(c.view()),
    });
  }

  private pending: ReturnType<typeof setTimeout> | undefined;

  /** Streaming fires many changes a second: coalesce them into at most ten renders. */
  private update(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.render();
    }, 100);
  }

  private render(): void {
    if (!this.panel || !this.current) return;
    const msg: ToWebview = { type: 'update', html: renderComparisonBody(this.current.view()) };
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.subscription?.dispose();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
