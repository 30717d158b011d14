// Pure HTML helpers for webviews: no 'vscode' import, so they are unit-tested in plain mocha.
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../core/text/escapeHtml';


/** A fresh nonce per page: scripts run only if they carry it. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Nothing loads unless listed: styles and scripts only from the extension's media folder,
 * scripts additionally only with this page's nonce, and no inline styles, so even markup
 * that escaped escaping can neither run nor restyle the page.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export interface PageParts {
  title: string;
  nonce: string;
  cspSource: string;
  styleUri: string;
  scriptUri: string;
  /** Already-escaped markup. */
  body: string;
}

export function renderPage(p: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(p.styleUri)}">
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<main id="root">${p.body}</main>
<script nonce="${escapeHtml(p.nonce)}" src="${escapeHtml(p.scriptUri)}"></script>
</body>
</html>`;
}
