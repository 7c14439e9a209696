import { randomUUID } from 'node:crypto';

/** Job ids travel through IPC and file names of logs; keep them to a safe alphabet. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function newJobId(): string {
  return randomUUID();
}

export function isJobId(value: unknown): value is string {
  return typeof value === 'string' && JOB_ID_PATTERN.test(value);
}
