/** The one IPC channel between the preload and main: invoke(name, args) -> HostResponse envelope. */
export const IPC_REQUEST_CHANNEL = 'convboard:request';
/** The DOM event main dispatches in the page for menu items the page carries out (it knows the current step and display). */
export const MENU_EVENT = 'convboard-menu';
export type MenuCommand = 'exportStep' | 'exportAll';
