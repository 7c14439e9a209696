import type { BatchProgress, BatchState } from '@shared/ipc/batch';
import { ProgressSteps } from '../lib/progress-steps';

/**
 * What the live region says about a batch, from its progress events (about
 * ten a second): started, each quarter of the photos settled, paused and
 * resumed, failures as they add up, and how it ended. Null when nothing is
 * worth saying.
 */
export class BatchAnnouncements {
  private batchId: string | null = null;
  private state: BatchState | null = null;
  private failed = 0;
  private steps = new ProgressSteps('Batch');

  next(p: BatchProgress): string | null {
    const settled = p.counts.done + p.counts.skipped + p.counts.failed;
    if (p.batchId !== this.batchId) {
      // A batch seen for the first time: announced only when it is under way (not one found finished on return).
      this.batchId = p.batchId;
      this.state = p.state;
      this.failed = p.counts.failed;
      this.steps = new ProgressSteps('Batch');
      if (p.state !== 'running') return null;
      this.steps.start();
      this.steps.update(p.counts.total > 0 ? settled / p.counts.total : 0);
      return `Batch started: ${p.counts.total} file${p.counts.total === 1 ? '' : 's'}`;
    }
    const said: string[] = [];
    if (p.state !== this.state) {
      const previous = this.state;
      this.state = p.state;
      if (p.state === 'finished') return `Batch finished: ${p.counts.done} restored, ${p.counts.failed} failed, ${p.counts.skipped} skipped`;
      if (p.state === 'cancelled') return `Batch stopped: ${p.counts.done} restored`;
      if (p.state === 'paused') said.push('Batch paused');
      if (p.state === 'running' && previous !== null) said.push(previous === 'paused' || previous === 'pausing' ? 'Batch resumed' : 'Batch started');
    }
    const step = this.steps.update(p.counts.total > 0 ? settled / p.counts.total : 0);
    if (step) said.push(step);
    if (p.counts.failed > this.failed) {
      said.push(`${p.counts.failed} failed so far`);
      this.failed = p.counts.failed;
    }
    return said.length > 0 ? said.join('. ') : null;
  }
}
