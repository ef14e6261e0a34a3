// Every migration, in order. The DataSource takes classes (not a glob) so the
// same list runs from compiled JS and from ts-jest.
import { Foundation1763780000000 } from './1763780000000-Foundation';
import { AuditTrail1763780100000 } from './1763780100000-AuditTrail';
import { Auth1763780200000 } from './1763780200000-Auth';
import { Patients1763780300000 } from './1763780300000-Patients';
import { Pipeline1763780400000 } from './1763780400000-Pipeline';
import { IdempotencyKeys1763791000000 } from './1763791000000-IdempotencyKeys';
import { UserInvitations1763791100000 } from './1763791100000-UserInvitations';
import { Visits1763792000000 } from './1763792000000-Visits';
import { AuditSealer1763797000000 } from './1763797000000-AuditSealer';
import { MrnSequences1763797100000 } from './1763797100000-MrnSequences';
import { NameSearchGin1763797200000 } from './1763797200000-NameSearchGin';
import { RequestContext1763797300000 } from './1763797300000-RequestContext';
import { NameSearchByIndex1763797400000 } from './1763797400000-NameSearchByIndex';
import { VisitConsultations1763798000000 } from './1763798000000-VisitConsultations';
import { VisitAnalytics1763798100000 } from './1763798100000-VisitAnalytics';
import { PlatformOperators1763799000000 } from './1763799000000-PlatformOperators';
import { TenantProvisioning1763799010000 } from './1763799010000-TenantProvisioning';
import { AbdmBridge1763800000000 } from './1763800000000-AbdmBridge';
import { AbdmHipInitiatedLinking1763800100000 } from './1763800100000-AbdmHipInitiatedLinking';
import { OutboxTraceContext1763801000000 } from './1763801000000-OutboxTraceContext';
import { TenantSlugLookup1763802000000 } from './1763802000000-TenantSlugLookup';
import { RegistrationDuplicateCheck1763804000000 } from './1763804000000-RegistrationDuplicateCheck';
import { AbdmConsents1763805000000 } from './1763805000000-AbdmConsents';
import { AbdmNotifyAndShare1763806000000 } from './1763806000000-AbdmNotifyAndShare';
import { AbdmTraceContext1763807000000 } from './1763807000000-AbdmTraceContext';
import { LogoutEverywhere1763808000000 } from './1763808000000-LogoutEverywhere';
import { AuditFilterIndexes1763809000000 } from './1763809000000-AuditFilterIndexes';
import { FreeTextFallbackIndexes1763809100000 } from './1763809100000-FreeTextFallbackIndexes';
import { TenantLimitsByOperator1763810000000 } from './1763810000000-TenantLimitsByOperator';
import { AppointmentsAndQueue1765200000000 } from './1765200000000-AppointmentsAndQueue';
import { NameIndexPendingList1763810100000 } from './1763810100000-NameIndexPendingList';
import { AbdmRealNetwork1765000000000 } from './1765000000000-AbdmRealNetwork';
import { AbdmCareContextTypes1765100000000 } from './1765100000000-AbdmCareContextTypes';
import { Billing1765300000000 } from './1765300000000-Billing';
import { BillingAnalytics1765300100000 } from './1765300100000-BillingAnalytics';
import { AbhaAtTheCounter1765800000000 } from './1765800000000-AbhaAtTheCounter';

export const ALL_MIGRATIONS = [
  Foundation1763780000000,
  AuditTrail1763780100000,
  Auth1763780200000,
  Patients1763780300000,
  Pipeline1763780400000,
  IdempotencyKeys1763791000000,
  UserInvitations1763791100000,
  Visits1763792000000,
  AuditSealer1763797000000,
  MrnSequences1763797100000,
  NameSearchGin1763797200000,
  RequestContext1763797300000,
  NameSearchByIndex1763797400000,
  VisitConsultations1763798000000,
  VisitAnalytics1763798100000,
  PlatformOperators1763799000000,
  TenantProvisioning1763799010000,
  AbdmBridge1763800000000,
  AbdmHipInitiatedLinking1763800100000,
  OutboxTraceContext1763801000000,
  TenantSlugLookup1763802000000,
  RegistrationDuplicateCheck1763804000000,
  AbdmConsents1763805000000,
  AbdmNotifyAndShare1763806000000,
  AbdmTraceContext1763807000000,
  LogoutEverywhere1763808000000,
  AuditFilterIndexes1763809000000,
  FreeTextFallbackIndexes1763809100000,
  TenantLimitsByOperator1763810000000,
  NameIndexPendingList1763810100000,
  AbdmRealNetwork1765000000000,
  AbdmCareContextTypes1765100000000,
  AppointmentsAndQueue1765200000000,
  Billing1765300000000,
  BillingAnalytics1765300100000,
  AbhaAtTheCounter1765800000000,
];
