export { SearchModule, SearchIndexerModule } from './search.module';
export { PatientSearchService, PatientSearchResponse } from './patient-search.service';
export { PatientIndexer, PatientEvent, IndexOutcome, InvalidPatientEventError } from './patient-indexer';
export { SEARCH_ES_CLIENT, createEsClient, isEsUnavailable, esStatus } from './elasticsearch';
export { KafkaProbe, elasticsearchCheck } from './pipeline-health';
export {
  ensurePatientIndex,
  putPatientTemplate,
  reindexPatients,
  aliasTargets,
  ReindexResult,
} from './patient-index.admin';
export { PatientDocument, PatientSearchItem, documentId, toDocument } from './patient-document';
export { parseQuery, queryHash } from './search-query';
export { VisitIndexer, InvalidVisitEventError } from './visit-indexer';
export { IndexRefresher } from './index-refresher';
export { VisitDocument, ensureVisitIndex, visitAlias } from './visit-document';
export { IndexReconciler, TenantReconciliation, DriftCounts, ReconcilerOptions } from './index-reconciler';
