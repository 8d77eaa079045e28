const FRAME_MS = 300;

/**
 * Play advances one step after the previous one is on screen (never faster than FRAME_MS), so a
 * slow back end slows the playback instead of queueing requests.
 */
export class Player {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private playing = false;

  constructor(private readonly advance: () => boolean) {}

  setPlaying(playing: boolean): void {
    this.playing = playing;
    if (!playing && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Called after each step is painted. */
  painted(): void {
    if (!this.playing || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.playing && !this.advance()) this.setPlaying(false);
    }, FRAME_MS);
  }
}
