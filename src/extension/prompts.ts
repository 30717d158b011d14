import * as vscode from 'vscode';

/**
 * The modal questions Edit Scope asks before acting on a workspace's say (a key to a server
 * its settings chose, a set's test commands), and the one offer it makes in a notification
 * (CodeLens in diff views). Tests and scripts cannot click a modal, so
 * `editscope._answerPrompts` (registered only under an extension test) queues the answers to
 * give instead, and `editscope._lastPrompt` tells what was asked; with nothing queued, the
 * person is asked.
 */
const queued: Array<string | undefined> = [];
let asked: { message: string; detail: string; count: number } = { message: '', detail: '', count: 0 };

export async function askModal(message: string, detail: string, ...items: string[]): Promise<string | undefined> {
  asked = { message, detail, count: asked.count + 1 };
  if (queued.length) {
    const answer = queued.shift();
    return answer !== undefined && items.includes(answer) ? answer : undefined;
  }
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);
}

/** A question that need not hold anything up: a notification, answered the same way in tests. */
export async function askNotice(message: string, ...items: string[]): Promise<string | undefined> {
  asked = { message, detail: '', count: asked.count + 1 };
  if (queued.length) {
    const answer = queued.shift();
    return answer !== undefined && items.includes(answer) ? answer : undefined;
  }
  return vscode.window.showInformationMessage(message, ...items);
}

export function answerPrompts(answers: unknown): number {
  if (Array.isArray(answers)) for (const a of answers) queued.push(typeof a === 'string' ? a : undefined);
  return queued.length;
}

export function lastPrompt(): { message: string; detail: string; count: number } {
  return asked;
}
