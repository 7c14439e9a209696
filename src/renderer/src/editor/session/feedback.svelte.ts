import { IpcRequestError } from '../../lib/ipc';
import type { ShellState } from '../../lib/shell.svelte';
import type { ConfirmChoice, ConfirmRequest, Notice } from './session-host';

/**
 * What the editor tells and asks the person: the toast and the status line
 * (notify, say, fail), the one pending confirmation (ask, choose, answer),
 * and the busy label while a longer step such as opening or saving runs.
 * Components read it as `session.feedback`.
 */
export class SessionFeedback {
  busy = $state<string | null>(null);
  notice = $state<Notice | null>(null);
  confirmRequest = $state<ConfirmRequest | null>(null);
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly shell: ShellState) {}

  ask(title: string, message: string, confirmLabel: string, danger: boolean): Promise<boolean> {
    return this.choose({ title, message, confirmLabel, danger }).then((choice) => choice === 'confirm');
  }

  /** A question with a third answer besides confirm and Cancel (see ConfirmRequest.alternativeLabel). */
  choose(question: Omit<ConfirmRequest, 'resolve'>): Promise<ConfirmChoice> {
    this.confirmRequest?.resolve('cancel');
    return new Promise((resolve) => {
      this.confirmRequest = { ...question, resolve };
    });
  }

  answerWith(choice: ConfirmChoice): void {
    const pending = this.confirmRequest;
    this.confirmRequest = null;
    pending?.resolve(choice);
  }

  notify(kind: Notice['kind'], text: string, detail?: string): void {
    this.notice = detail ? { kind, text, detail } : { kind, text };
    this.shell.status = text;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), kind === 'error' ? 9000 : 4000);
  }

  /** Runs `work` under a busy label; what it throws becomes an error notice, with the engine's detail. */
  async withBusy(label: string, work: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.shell.status = label;
    try {
      await work();
    } catch (err) {
      this.notify('error', err instanceof Error ? err.message : String(err), err instanceof IpcRequestError ? err.detail : undefined);
    } finally {
      this.busy = null;
    }
  }
}
