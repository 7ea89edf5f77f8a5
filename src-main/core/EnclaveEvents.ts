import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from './shared/events';

/** The core's push notifications, named and shaped exactly like the contract's events. */
export class EnclaveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open window, API stream or CLI command: no fixed small limit.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit(name, payload);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
