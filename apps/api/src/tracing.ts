/**
 * First import of main.ts: registers tracing (when TRACING_ENDPOINT is set)
 * before pg, express, kafkajs and the Elasticsearch client are loaded, so
 * their instrumentation applies. See docs/tracing.md.
 */
import { startTracingOrExit } from '@hims/tracing';

startTracingOrExit('hims-api');
