import { field, h, numberInput } from '../dom/element';
import { icon, type IconName } from './icons';

export interface StepControlsEvents {
  goTo(step: number): void;
  togglePlay(): void;
}

/** Slider, number box, first/prev/next/last and play/pause: the TensorBoard step slider, with buttons. */
export class StepControls {
  readonly element: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly numberBox: HTMLInputElement;
  private readonly stepText: HTMLSpanElement;
  private readonly countText: HTMLSpanElement;
  private readonly playButton: HTMLButtonElement;
  private readonly buttons: HTMLButtonElement[];
  private step = 0;
  private count = 0;
  private playing = false;
  /** The user is typing a step number not yet committed: redraws leave the box alone. */
  private typing = false;

  constructor(private readonly events: StepControlsEvents) {
    this.slider = h('input', { type: 'range', min: 0, max: 0, step: 1, value: 0, class: 'step-slider' });
    this.numberBox = numberInput(0, 0, 0);
    this.numberBox.classList.add('step-number');
    this.stepText = h('span', { 'data-testid': 'step', class: 'step-value', 'aria-live': 'polite' }, '0');
    this.countText = h('span', { class: 'step-count' }, '');
    const button = (label: string, name: IconName, action: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title: label }, icon(name));
      b.addEventListener('click', action);
      return b;
    };
    const first = button('First step (Home)', 'first', () => this.events.goTo(0));
    const prev = button('Previous step (Left)', 'prev', () => this.events.goTo(this.step - 1));
    this.playButton = button('Play (Space)', 'play', () => this.events.togglePlay());
    this.playButton.classList.add('play-button');
    const next = button('Next step (Right)', 'next', () => this.events.goTo(this.step + 1));
    const last = button('Last step (End)', 'last', () => this.events.goTo(this.count - 1));
    this.buttons = [first, prev, this.playButton, next, last];
    this.slider.addEventListener('input', () => this.events.goTo(Number(this.slider.value)));
    this.numberBox.addEventListener('input', () => (this.typing = true));
    this.numberBox.addEventListener('change', () => {
      this.typing = false;
      const value = Number(this.numberBox.value);
      if (this.numberBox.value.trim() !== '' && Number.isFinite(value)) this.events.goTo(value);
      // The box shows the step actually shown: 99 typed past the end reads as the last step.
      this.numberBox.value = String(this.step);
    });
    const sliderField = field('Step', this.slider);
    sliderField.row.classList.add('slider-field');
    this.element = h(
      'div',
      { class: 'step-controls', role: 'group', 'aria-label': 'Step' },
      h('div', { class: 'step-readout' }, h('span', { class: 'step-label' }, 'step'), this.stepText, this.countText),
      h('div', { class: 'step-buttons' }, first, prev, this.playButton, next, last),
      sliderField.row,
      field('Go to step', this.numberBox).row,
    );
  }

  render(step: number, count: number, playing: boolean): void {
    this.step = step;
    this.count = count;
    const max = Math.max(0, count - 1);
    this.slider.max = String(max);
    this.slider.value = String(step);
    this.numberBox.max = String(max);
    if (!this.typing) this.numberBox.value = String(step);
    this.stepText.textContent = String(step);
    this.countText.textContent = `/ ${max}`;
    this.countText.title = `${count} steps`;
    if (this.playing !== playing || !this.playButton.textContent) {
      this.playButton.replaceChildren(icon(playing ? 'pause' : 'play'), playing ? ' Pause' : ' Play');
      this.playing = playing;
    }
    this.playButton.setAttribute('aria-label', playing ? 'Pause (Space)' : 'Play (Space)');
    this.playButton.setAttribute('aria-pressed', String(playing));
    for (const b of this.buttons) b.disabled = count === 0;
  }
}
