/**
 * The app's one polite live region (live-region.svelte shows `text`): what a
 * screen reader hears about work in progress. Callers announce steps, not
 * every event; progress-steps.ts picks which.
 */
class Announcer {
  text = $state('');
  private count = 0;

  say(message: string): void {
    // A repeated message must still change the region's text to be read again.
    this.text = this.count++ % 2 === 0 ? message : `${message}\u00a0`;
  }
}

export const announcer = new Announcer();

export function announce(message: string): void {
  announcer.say(message);
}
