import type { ValidationIssue } from '@shared/ipc/errors';

/** The parts of a zod issue the error shape keeps (paths and messages, no internals). */
interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export function describeIssues(issues: readonly IssueLike[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : String(p))).join('.'),
    message: issue.message,
  }));
}
