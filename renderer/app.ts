import { DEFAULT_VIEW, type StepResult } from '../core/hostContract';
import { coalescedAfterPaint } from './afterPaint';
import { DEFAULT_DISPLAY } from '../core/displayPresets';
import { AppController } from './appController';
import { Store, type AppState } from './appState';
import { h } from './dom/element';
import { errorText } from './errorText';
import { GridPainter } from './gridPainter';
import { pickHost } from './host/pickHost';
import { installKeyboardShortcuts } from './keyboardShortcuts';
import { Player } from './player';
import { ColorBar } from './views/colorBar';
import { DataPanel } from './views/dataPanel';
import { DisplayPanel } from './views/displayPanel';
import { ErrorBanner } from './views/errorBanner';
import { ExportPanel } from './views/exportPanel';
import { GridCard } from './views/gridCard';
import { HistogramChart } from './views/histogramChart';
import { HoverInfo } from './views/hoverInfo';
import { KernelView } from './views/kernelView';
import { LayerPanel } from './views/layerPanel';
import { StatsChart } from './views/statsChart';
import { StepControls } from './views/stepControls';
import { ZoomControls } from './views/zoomControls';
import { mountExplainPreview } from './explain/explainPreview';

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
  highlightClass: null,
  playing: false,
  presets: [],
};

/** The composition root: builds the views, wires them to the store and the controller. */
async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  const banner = new ErrorBanner();
  let host;
  try {
    host = pickHost(window);
  } catch (error) {
    root.replaceChildren(banner.element);
    banner.show(errorText(error));
    return;
  }

  const store = new Store(INITIAL);
  const inputCard = new GridCard('input', 'grid-input', 'the batch, as add_images shows it');
  const outputCard = new GridCard('output', 'grid-output', 'the Conv2d output');
  const hover = new HoverInfo();
  const colorBar = new ColorBar();
  const histogram = new HistogramChart();
  const kernelView = new KernelView();
  const updateHistogram = coalescedAfterPaint((result: StepResult) => histogram.update(result));
  let statsChart: StatsChart | null = null;
  let layerPanel: LayerPanel | null = null;
  const painter = new GridPainter(inputCard, outputCard, hover, colorBar, () => store.get());
  const player = new Player(() => {
    const { step, stepCount } = store.get();
    if (step >= stepCount - 1) return false;
    controller.goTo(step + 1);
    return true;
  });

  const controller: AppController = new AppController(host, store, {
    showError: (message) => banner.show(message),
    layerError: (fieldName, message) => {
      if (!layerPanel) return;
      if (message === null) layerPanel.clearErrors();
      else {
        layerPanel.clearErrors();
        layerPanel.showError(fieldName, message);
      }
    },
    paint: (result, display, requestedAt, receivedAt) => {
      painter.paint(result, display, requestedAt, receivedAt);
      updateHistogram(result);
      player.painted();
    },
    invalidateStats: () => statsChart?.invalidate(),
  });

  const stepControls = new StepControls({
    goTo: (step) => controller.goTo(step),
    togglePlay: () => togglePlay(),
  });
  const zoom = new ZoomControls((z) => store.update({ zoom: z }));
  layerPanel = new LayerPanel({
    configChanged: (config) => void controller.setLayer(config),
    weightsChanged: (source) => void controller.setWeights(source),
  });
  const displayPanel = new DisplayPanel((display) => controller.setDisplay(display), colorBar.element);
  displayPanel.setDisplay(DEFAULT_DISPLAY);
  const dataPanel = new DataPanel(
    {
      viewChanged: (view) => controller.setView(view),
      highlight: (classIndex) => store.update({ highlightClass: classIndex }),
      open: (path) => void controller.openDataset(path),
    },
    host.kind,
  );
  const exportPanel = new ExportPanel({
    host,
    view: () => store.get().view,
    step: () => store.get().step,
    display: () => store.get().display,
    error: (error) => controller.reportError(error),
  });
  statsChart = new StatsChart({
    host,
    view: () => store.get().view,
    jumpTo: (step) => controller.goTo(step),
    error: (error) => controller.reportError(error),
  });

  function togglePlay(): void {
    const { playing, step, stepCount } = store.get();
    if (!playing && step >= stepCount - 1) controller.goTo(0);
    store.update({ playing: !playing });
  }

  const datasetLabel = h('span', { class: 'appbar-dataset', 'data-testid': 'appbar-dataset' });
  const statusText = h('span', { class: 'status-text', 'data-testid': 'status' });
  root.replaceChildren(
    h(
      'header',
      { class: 'appbar' },
      h('span', { class: 'appbar-logo', 'aria-hidden': 'true' }, '▦'),
      h('h1', { class: 'appbar-title' }, 'ConvBoard'),
      h('nav', { class: 'appbar-tabs', 'aria-label': 'Dashboards' }, h('span', { class: 'appbar-tab active' }, 'Images')),
      datasetLabel,
    ),
    h(
      'div',
      { class: 'layout' },
      h('aside', { class: 'sidebar', 'aria-label': 'Settings' }, dataPanel.element, layerPanel.element, displayPanel.element, exportPanel.element),
      h(
        'main',
        { class: 'content' },
        banner.element,
        h('div', { class: 'toolbar' }, stepControls.element, zoom.element),
        hover.element,
        h('div', { class: 'cards' }, inputCard.element, outputCard.element),
        h('div', { class: 'charts' }, histogram.element, statsChart.element, kernelView.element),
        h('footer', { class: 'statusbar' }, statusText),
      ),
    ),
  );

  // --- Explain/Lessons preview hook (temporary: the integrator re-wires it into the new app.ts) ---
  const explainHook = mountExplainPreview({
    host, tabs: root.querySelector<HTMLElement>('.appbar-tabs')!, layout: root.querySelector<HTMLElement>('.layout')!,
    content: root.querySelector<HTMLElement>('.content')!, outputCanvas: outputCard.canvas, display: () => store.get().display,
    openLayer: (config) => { layerPanel!.setConfig(config); void controller.setLayer(config); },
  });
  store.subscribe((state) => explainHook.update(state.result, state.layer));
  // --- end of the preview hook ---

  store.subscribe((state, previous) => {
    stepControls.render(state.step, state.stepCount, state.playing);
    if (state.zoom !== previous.zoom) {
      zoom.render(state.zoom);
      inputCard.setZoom(state.zoom);
      outputCard.setZoom(state.zoom);
    }
    if (state.playing !== previous.playing) {
      player.setPlaying(state.playing);
      if (state.playing && state.result) player.painted();
    }
    if (state.dataset && (state.dataset !== previous.dataset || state.view !== previous.view || state.highlightClass !== previous.highlightClass)) {
      dataPanel.render(state.dataset, state.view, state.highlightClass);
      datasetLabel.textContent = state.dataset.title;
      document.title = `ConvBoard — ${state.dataset.title}`;
    }
    if (state.highlightClass !== previous.highlightClass) painter.highlight();
    if (state.layer && state.layer !== previous.layer) {
      layerPanel!.showState(state.layer);
      kernelView.render(state.layer);
      if (!previous.layer) layerPanel!.setConfig(state.layer.config);
    }
    if (state.presets !== previous.presets) layerPanel!.setPresets(state.presets);
    if (state.result !== previous.result || state.loading !== previous.loading) {
      const r = state.result;
      statusText.textContent = r
        ? `step ${r.step}: ${r.inputShape[0]} images · conv ${r.computeMs.toFixed(1)} ms in the worker${state.loading ? ' · loading…' : ''}`
        : 'loading…';
    }
  });
  inputCard.setZoom(INITIAL.zoom);
  outputCard.setZoom(INITIAL.zoom);
  zoom.render(INITIAL.zoom);

  installKeyboardShortcuts(document, {
    step: (delta) => controller.goTo(store.get().step + delta),
    first: () => controller.goTo(0),
    last: () => controller.goTo(store.get().stepCount - 1),
    togglePlay,
  });

  try {
    await controller.start();
  } catch (error) {
    controller.reportError(error);
  } finally {
    root.setAttribute('aria-busy', 'false');
  }
}

void main();
