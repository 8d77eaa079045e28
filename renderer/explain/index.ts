// The explain views and the lessons, as the app mounts them.
export { createAbCompare, type AbCompare } from './abCompare';
export { createLayerGeometry, type LayerGeometry } from './layerGeometry';
export { createTracePanel, type OutputPosition, type TracePanel, type TracePanelOptions } from './tracePanel';
export { mountLessons, type LessonsOptions, type LessonsView } from '../lessons/lessonsView';
