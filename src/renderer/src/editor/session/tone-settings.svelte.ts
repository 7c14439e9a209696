import type { ToneColourMode, ToneOptions } from '@shared/ipc/tone';
import { AUTO_STRENGTH, toneRequest } from '../restore/tone';

/**
 * The Tone & colour panel's state. Session state, not history and not
 * remembered: tone applies to the whole photo, so a toggle left on from an
 * earlier session would silently change every later restore.
 */
export class ToneSettings {
  on = $state(false);
  /** 0-100 %. */
  strength = $state(AUTO_STRENGTH);
  colour = $state<ToneColourMode | 'auto'>('auto');

  /** `options.tone` for the next restore; undefined when off. */
  get request(): ToneOptions | undefined {
    return toneRequest({ on: this.on, strength: this.strength, colour: this.colour });
  }

  /**
   * A restore applied the tone to the image version it made: turn it off, as
   * marks are consumed by a fill. Left on, the next Restore would tone the
   * already toned photo again. Strength and colour stay for another pass.
   */
  consumed(): void {
    this.on = false;
  }
}
