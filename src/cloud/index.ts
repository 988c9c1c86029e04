// Cloud providers: the Provider port, its error categories, and the embedded emulator.
// The engine sees only the port; the composition root picks the implementation.
export * from './errors.js';
export * from './provider.js';
export * from './emulator/index.js';
