/**
 * Why an action was not done, in words for the status line: what the editor
 * core and the tools answer instead of throwing when a person asks for
 * something the document does not allow (no layer, a hidden or locked one).
 */
export class Refusal {
  constructor(readonly reason: string) {}
}
