import * as vscode from 'vscode';

// Placeholder until the in-editor flow lands (issue 5); it only proves the bundle loads.
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
