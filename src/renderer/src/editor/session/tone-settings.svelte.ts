import type { ToneChoice, ToneColourMode, ToneOptions } from '@shared/ipc/tone';
import { AUTO_STRENGTH, toneRequest } from '../restore/tone';

/**
 * The Tone & colour panel's state. Not history: while on, the editor shows
 * the tone live over the photo and Restore and Export apply it. Kept in the
 * project file with the photo's marks (ToneChoice), and reset when a photo
 * opens on its own: a toggle left on from another photo would silently
 * change this one.
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

  /** What the project file keeps. */
  get choice(): ToneChoice {
    return { on: this.on, strength: this.strength, colour: this.colour };
  }

  /** Settings from a project file; none (a photo opened on its own, an older project): tone off, Auto's defaults. */
  restore(choice: ToneChoice | undefined): void {
    this.on = choice?.on ?? false;
    this.strength = choice?.strength ?? AUTO_STRENGTH;
    this.colour = choice?.colour ?? 'auto';
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
