/**
 * Public face of the HIP's health-information transfer (ABDM data push, issue 13).
 * - buildTransferPages: encrypt documents into data-push pages (one document per page, fresh
 *   key material per page).
 * - DataPushClient.push: POST the pages to the HIU's dataPushUrl with bounded retries; one
 *   outcome per page. careContextStatuses folds them per care context for the notify.
 * - entryChecksum and the body types. See docs/abdm-transfer.md.
 */
export { buildTransferPages, type BuildTransferPagesInput, type TransferPaging } from './transfer-pages';
export {
  backoffDelay,
  careContextStatuses,
  DataPushClient,
  type DataPushClientOptions,
  type PagePushOutcome,
  type PushFailure,
  type PushLogger,
  type PushOptions,
} from './data-push.client';
export { entryChecksum } from './checksum';
export {
  FHIR_JSON_MEDIA,
  type DataPushEntry,
  type DataPushKeyMaterial,
  type DataPushPage,
  type HiuKey,
  type TransferDocument,
} from './data-push.model';
