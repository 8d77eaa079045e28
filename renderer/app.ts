import { DEFAULT_VIEW, type PngFile, type StepResult } from '../core/hostContract';
import { DEFAULT_DISPLAY, DISPLAY_PRESETS } from '../core/displayPresets';
import { layerCode } from '../core/conv2dCode';
import { coalescedAfterPaint } from './afterPaint';
import { AppController } from './appController';
import { IDLE_JOB, Store, type AppState } from './appState';
import { h } from './dom/element';
import { errorText } from './errorText';
import { fitZoom } from './fitZoom';
import { GridPainter } from './gridPainter';
import { pickHost } from './host/pickHost';
import { installKeyboardShortcuts } from './keyboardShortcuts';
import { shapeOnScreen } from './shapeOnScreen';
import { ColorBar } from './views/colorBar';
import { ConfirmDialog } from './views/confirmDialog';
import { DataPanel } from './views/dataPanel';
import { DisplayPanel } from './views/displayPanel';
import { ErrorBanner } from './views/errorBanner';
import { ExportPanel } from './views/exportPanel';
import { GridCard } from './views/gridCard';
import { HistogramChart } from './views/histogramChart';
import { HoverInfo } from './views/hoverInfo';
import { KernelView } from './views/kernelView';
import { LayerPanel } from './views/layerPanel';
import { LoggedCard } from './views/loggedCard';
import { SamplePanel } from './views/samplePanel';
import { StatsChart } from './views/statsChart';
import { StepControls } from './views/stepControls';
import { ZoomControls } from './views/zoomControls';
import { createAbCompare } from './explain/abCompare';
import { createLayerGeometry } from './explain/layerGeometry';
import { createTracePanel } from './explain/tracePanel';
import { mountLessons } from './lessons/lessonsView';
import { AppTabs } from './views/appTabs';
import { ExplainSection } from './views/explainSection';

const INITIAL: AppState = {
  dataset: null,
  layer: null,
  view: DEFAULT_VIEW,
  display: DEFAULT_DISPLAY,
  step: 0,
  stepCount: 0,
  result: null,
  loading: true,
  zoom: 2,
  zoomFit: true,
  highlightClass: null,
  playing: false,
  presets: [],
  weights: { kind: 'init', seed: 0, preset: '', npy: null, note: null, restore: null },
  errors: {},
  banner: null,
  formRevision: 0,
  exportStatus: '',
  jobs: { stats: IDLE_JOB, exportAll: IDLE_JOB, download: IDLE_JOB },
  stats: null,
  statsStale: false,
  confirm: null,
  openSample: null,
  logdir: null,
  mainView: 'images',
  explainTab: 'trace',
  trace: null,
  traceTap: null,
};

/** The composition root: builds the views, sends their intents to the controller, redraws them from the store. */
async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  let host;
  try {
    host = pickHost(window);
  } catch (error) {
    const banner = new ErrorBanner(() => banner.render(null));
    root.replaceChildren(banner.element);
    banner.render(errorText(error));
    root.setAttribute('aria-busy', 'false');
    return;
  }

  const store = new Store(INITIAL);
  const inputCard = new GridCard('input', 'grid-input', 'the batch, as add_images shows it');
  const outputCard = new GridCard('output', 'grid-output', 'the Conv2d output', 'traces the value below the cards');
  const hover = new HoverInfo();
  const colorBar = new ColorBar();
  const histogram = new HistogramChart();
  const kernelView = new KernelView();
  const updateHistogram = coalescedAfterPaint((result: StepResult) => histogram.update(result));
  const painter: GridPainter = new GridPainter(inputCard, outputCard, hover, colorBar, () => store.get(), {
    openSample: (sample) => controller.openSample(sample),
    selectTrace: (position) => controller.selectTrace(position),
    showUnclipped: () => controller.setDisplay(DISPLAY_PRESETS['channels']!),
    zoomBy: (delta) => controller.zoomBy(delta),
  });

  const controller: AppController = new AppController(host, store, {
    paint: (result, display, requestedAt, receivedAt) => {
      painter.paint(result, display, requestedAt, receivedAt);
      updateHistogram(result);
      refit();
    },
    download,
  });
  const samplePanel = new SamplePanel(() => controller.openSample(null));

  const banner = new ErrorBanner(() => controller.dismissBanner());
  const confirm = new ConfirmDialog((yes) => controller.answer(yes));
  const stepControls = new StepControls({
    goTo: (step) => controller.goTo(step),
    togglePlay: () => controller.togglePlay(),
  });
  const zoom = new ZoomControls((z, fit) => {
    controller.setZoom(z, fit);
    if (fit) refit();
  });
  const layerPanel = new LayerPanel({
    configChanged: (config) => void controller.setLayer(config),
    weightsChanged: (source) => void controller.setWeights(source),
    reset: () => void controller.reset(),
    copyCode: async () => {
      const { layer, dataset, weights } = store.get();
      if (!layer || !dataset) throw new Error('no layer yet');
      const code = layerCode(layer.config, dataset.imageShape[0], weights.kind === 'init' ? weights.seed : undefined);
      await navigator.clipboard.writeText(code);
      return code;
    },
  });
  const displayPanel = new DisplayPanel((display) => controller.setDisplay(display), colorBar.element);
  const dataPanel = new DataPanel(
    {
      viewChanged: (view) => controller.setView(view),
      highlight: (classIndex) => controller.highlight(classIndex),
      open: (path, transform) => void controller.openDataset(path, transform),
      download: (dataset) => void controller.startDownload(dataset),
      cancelDownload: () => void controller.cancelJob('download'),
    },
    host.kind,
  );
  const exportPanel = new ExportPanel(
    {
      exportStep: () => void controller.exportStep(),
      exportAll: (dir) => void controller.exportAll(dir),
      cancel: () => void controller.cancelJob('exportAll'),
    },
    host.kind,
  );
  const statsChart = new StatsChart({
    start: () => void controller.startStats(),
    cancel: () => void controller.cancelJob('stats'),
    jumpTo: (step) => controller.goTo(step),
  });

  const tracePanel = createTracePanel({
    onSelect: (position) => controller.selectTrace(position),
    onTapHover: (tap) => controller.hoverTap(tap && { iy: tap.iy, ix: tap.ix, sourceY: tap.sourceY, sourceX: tap.sourceX }),
  });
  const geometry = createLayerGeometry();
  const abCompare = createAbCompare();
  const explain = new ExplainSection({ trace: tracePanel.element, geometry: geometry.element, ab: abCompare.element }, (tab) => controller.showExplain(tab));
  const appTabs = new AppTabs((view) => controller.showView(view));
  const lessonsRoot = h('div', { class: 'lessons-root', hidden: true, 'data-testid': 'lessons-root' });
  let lessonsMounted = false;

  const datasetLabel = h('span', { class: 'appbar-dataset', 'data-testid': 'appbar-dataset' });
  const statusText = h('span', { class: 'status-text', 'data-testid': 'status' });
  const stepError = h('div', { class: 'field-error panel-error', role: 'alert', 'data-testid': 'error-step' });
  const skipLink = h('a', { class: 'skip-link', href: '#step-controls' }, 'Skip to the step controls');
  const skipToExplain = h('a', { class: 'skip-link', href: '#explain' }, 'Skip to the explanation');
  skipToExplain.addEventListener('click', (event) => {
    event.preventDefault();
    explain.element.scrollIntoView({ block: 'start' });
    explain.element.focus();
  });
  stepControls.element.id = 'step-controls';
  stepControls.element.tabIndex = -1;
  skipLink.addEventListener('click', (event) => {
    event.preventDefault();
    stepControls.element.focus();
  });
  const toolbar = h('div', { class: 'toolbar' }, stepControls.element, zoom.element);
  const cards = h('div', { class: 'cards' }, inputCard.element, outputCard.element);
  const content = h(
    'main',
    { class: 'content', 'aria-label': 'Dashboard' },
    banner.element,
    toolbar,
    stepError,
    cards,
    explain.element,
    h('div', { class: 'charts' }, histogram.element, statsChart.element, kernelView.element),
    h('footer', { class: 'statusbar' }, statusText),
  );
  const layout = h(
    'div',
    { class: 'layout' },
    h('aside', { class: 'sidebar', 'aria-label': 'Settings' }, dataPanel.element, layerPanel.element, displayPanel.element, exportPanel.element),
    content,
  );
  root.replaceChildren(
    skipLink,
    skipToExplain,
    h(
      'header',
      { class: 'appbar' },
      h('span', { class: 'appbar-logo', 'aria-hidden': 'true' }, '▦'),
      h('h1', { class: 'appbar-title' }, 'ConvBoard'),
      appTabs.element,
      datasetLabel,
    ),
    layout,
    lessonsRoot,
    hover.element,
    samplePanel.element,
    confirm.element,
  );

  /**
   * The cards sit side by side when both grids fit at actual size, else they stack; zoom follows the
   * room a card has until the user picks one.
   */
  function refit(): void {
    const style = getComputedStyle(content);
    const inner = content.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const chromeX = inputCard.element.offsetWidth - inputCard.scroller.clientWidth;
    const gap = 14;
    const side = inputCard.gridSize.width + outputCard.gridSize.width + 2 * chromeX + gap <= inner;
    cards.classList.toggle('stacked', !side);
    if (!store.get().zoomFit) return;
    const chromeY = Math.max(...[inputCard, outputCard].map((c) => c.element.offsetHeight - c.scroller.clientHeight));
    const room = {
      width: (side ? (inner - gap) / 2 : inner) - chromeX,
      height: content.clientHeight - toolbar.offsetHeight - parseFloat(getComputedStyle(toolbar).marginBottom) - chromeY - 8,
    };
    controller.fitZoom(fitZoom([inputCard.gridSize, outputCard.gridSize], room));
  }
  new ResizeObserver(() => refit()).observe(content);
  const loggedCard = new LoggedCard({ open: (dir) => void controller.openLogdir(dir), image: (run, tag, step) => controller.loggedImage(run, tag, step) });
  cards.after(loggedCard.element);
  store.subscribe((state, previous) => loggedCard.render(state, previous));
  store.subscribe((state, previous) => (state.jobs.download !== previous.jobs.download || state.errors !== previous.errors) && dataPanel.showDownload(state.jobs.download, state.errors));


  store.subscribe((state, previous) => {
    if (state.mainView !== previous.mainView) {
      const lessons = state.mainView === 'lessons';
      if (lessons && !lessonsMounted) {
        lessonsMounted = true;
        mountLessons(lessonsRoot, { host, onOpenLayer: (config) => void controller.openLessonLayer(config) });
      }
      appTabs.render(state.mainView);
      lessonsRoot.hidden = !lessons;
      layout.hidden = lessons;
      if (!lessons) refit();
    }
    if (state.explainTab !== previous.explainTab) explain.render(state.explainTab);
    if (state.result !== previous.result || state.layer !== previous.layer) {
      tracePanel.update(state.result, state.layer);
      geometry.update(state.result, state.layer);
      abCompare.update(state.result, state.layer);
    }
    if (state.trace !== previous.trace && state.trace) tracePanel.select(state.trace);
    if (state.trace !== previous.trace || state.traceTap !== previous.traceTap || state.layer !== previous.layer) painter.showTrace();
    stepControls.render(state.step, state.stepCount, state.playing);
    if (state.zoom !== previous.zoom || state.zoomFit !== previous.zoomFit) {
      zoom.render(state.zoom, state.zoomFit);
      inputCard.setZoom(state.zoom);
      outputCard.setZoom(state.zoom);
    }
    if (state.dataset && (state.dataset !== previous.dataset || state.view !== previous.view || state.highlightClass !== previous.highlightClass)) {
      dataPanel.render(state.dataset, state.view, state.highlightClass);
      datasetLabel.textContent = state.dataset.title;
      document.title = `ConvBoard — ${state.dataset.title}`;
    }
    if (state.highlightClass !== previous.highlightClass) painter.highlight();
    if (state.presets !== previous.presets) layerPanel.setPresets(state.presets);
    if (state.formRevision !== previous.formRevision) {
      if (state.layer) layerPanel.setConfig(state.layer.config);
      displayPanel.setDisplay(state.display);
    } else if (state.display !== previous.display) displayPanel.setDisplay(state.display);
    if (state.layer && state.layer !== previous.layer) {
      layerPanel.showLayer(state.layer);
      kernelView.render(state.layer);
    }
    if (state.weights !== previous.weights || state.formRevision !== previous.formRevision) layerPanel.showWeights(state.weights);
    if (state.layer !== previous.layer || state.dataset !== previous.dataset || state.view !== previous.view || state.step !== previous.step) {
      const shape = shapeOnScreen(state);
      if (shape !== null) layerPanel.showShape(shape);
    }
    if (state.errors !== previous.errors) {
      layerPanel.showErrors(state.errors);
      displayPanel.showErrors(state.errors);
      dataPanel.showErrors(state.errors);
      stepError.textContent = state.errors.step ?? '';
      outputCard.setError(state.errors.display ?? null);
    }
    if (state.openSample !== previous.openSample || (state.openSample !== null && state.result !== previous.result)) {
      const r = state.result;
      const label = r && state.openSample !== null ? r.labels[state.openSample] : undefined;
      const className = label === undefined ? '' : `${state.dataset?.classNames[label] ?? 'class'} (class ${label})`;
      samplePanel.render(r, state.openSample, state.display, className);
    }
    if (state.banner !== previous.banner) banner.render(state.banner);
    if (state.confirm !== previous.confirm) confirm.render(state.confirm);
    if (state.jobs !== previous.jobs || state.errors !== previous.errors || state.exportStatus !== previous.exportStatus || state.stats !== previous.stats || state.statsStale !== previous.statsStale) {
      exportPanel.render(state);
      statsChart.render(state);
    }
    if (state.result !== previous.result || state.loading !== previous.loading) {
      const r = state.result;
      statusText.textContent = r
        ? `step ${r.step}: ${r.inputShape[0]} images · conv ${r.computeMs.toFixed(1)} ms in the worker${state.loading ? ' · loading…' : ''}`
        : 'loading…';
    }
  });
  displayPanel.setDisplay(INITIAL.display);
  inputCard.setZoom(INITIAL.zoom);
  outputCard.setZoom(INITIAL.zoom);
  zoom.render(INITIAL.zoom, INITIAL.zoomFit);

  installKeyboardShortcuts(document, {
    step: (delta) => controller.step(delta),
    first: () => controller.goTo(0),
    last: () => controller.goTo(store.get().stepCount - 1),
    togglePlay: () => controller.togglePlay(),
  });

  await controller.start();
  root.setAttribute('aria-busy', 'false');
}

/**
 * Hands a PNG to the browser's downloads. Browsers turn the '/' of `input/000000.png` into '_', so
 * the name is flattened here and the real one is reported.
 */
function download(file: PngFile): string {
  const name = file.name.replaceAll('/', '_');
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

void main();
