/** The shared shapes of nocwatch. Imports nothing internal beyond this folder. */
export * from './time.js';
export * from './cell.js';
export * from './kpi.js';
export * from './records.js';
export * from './events.js';
export * from './anomaly.js';
export * from './incident.js';
export * from './ticket.js';
