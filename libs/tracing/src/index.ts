export { startTracing, startTracingOrExit, shutdownTracing, flushTracing, tracingEnabled } from './tracing';
export { tracingSettings, TracingSettings, TracingSettingsError } from './settings';
export {
  traced,
  recordSpan,
  markError,
  currentTraceCarrier,
  contextFromCarrier,
  traceLogFields,
  traceExemplar,
  traceHeaders,
  tracedClientCall,
  TraceCarrier,
} from './spans';
export { scrubSpan, scrubAttributes } from './scrub';
