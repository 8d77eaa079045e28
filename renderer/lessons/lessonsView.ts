import type { Host, LayerConfig } from '../../core/hostContract';
import { h } from '../dom/element';
import { convolutionLesson } from './convolutionLesson';
import { depthwiseLesson } from './depthwiseLesson';
import { dilationLesson } from './dilationLesson';
import type { Lesson, LessonFactory } from './lessonTypes';
import { poolLesson } from './poolLesson';
import { shapesLesson } from './shapesLesson';

export interface LessonsOptions {
  host: Host;
  /** A lesson's "open this layer in the main view": apply the config with setLayer and show the images. */
  onOpenLayer: (config: LayerConfig) => void;
}

export interface LessonsView {
  readonly element: HTMLElement;
  /** Shows a lesson by id: 'convolution', 'shapes', 'dilation', 'depthwise', 'pool'. */
  show(id: string): void;
  destroy(): void;
}

const LESSONS: { id: string; title: string; make: LessonFactory }[] = [
  { id: 'convolution', title: 'Sliding a kernel', make: convolutionLesson },
  { id: 'shapes', title: 'Output shapes', make: shapesLesson },
  { id: 'dilation', title: 'Dilation', make: dilationLesson },
  { id: 'depthwise', title: 'The depthwise window', make: depthwiseLesson },
  { id: 'pool', title: 'Dilated max-pooling', make: poolLesson },
];

/** The lessons: a list on the left, one small interactive page at a time, built when first opened. */
export function mountLessons(container: HTMLElement, options: LessonsOptions): LessonsView {
  const built = new Map<string, Lesson>();
  const page = h('div', { class: 'lesson-page' });
  const buttons = LESSONS.map((l) => {
    const b = h('button', { type: 'button', 'data-testid': `lesson-tab-${l.id}` }, l.title);
    b.addEventListener('click', () => view.show(l.id));
    return b;
  });
  const element = h(
    'div',
    { class: 'lessons-view', 'data-testid': 'lessons-view' },
    h('nav', { class: 'lessons-nav', 'aria-label': 'Lessons' }, h('ul', {}, ...buttons.map((b) => h('li', {}, b)))),
    h('section', { class: 'lesson-main', 'aria-label': 'Lesson' }, page),
  );
  const view: LessonsView = {
    element,
    show(id) {
      const entry = LESSONS.find((l) => l.id === id);
      if (!entry) return;
      let lesson = built.get(id);
      if (!lesson) {
        lesson = entry.make({ host: options.host, onOpenLayer: options.onOpenLayer });
        built.set(id, lesson);
      }
      page.replaceChildren(lesson.element);
      LESSONS.forEach((l, i) => {
        if (l.id === id) buttons[i]!.setAttribute('aria-current', 'page');
        else buttons[i]!.removeAttribute('aria-current');
      });
    },
    destroy() {
      for (const lesson of built.values()) lesson.destroy();
      element.remove();
    },
  };
  container.append(element);
  view.show('convolution');
  return view;
}
