import { HostError } from '../../core/hostContract';

/** The back end could not be asked at all (server gone, wrong token): a failure of no field, for the top banner. */
export class TransportError extends HostError {}
