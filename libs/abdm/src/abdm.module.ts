import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigError } from '@hims/config';
import { AuditRecorderModule } from '@hims/audit';
import { IdempotencyModule } from '@hims/idempotency';
import { PatientRecordsModule } from '@hims/patients';
import { QueueRecordsModule } from '@hims/queue';
import { TenantScopeModule } from '@hims/tenancy';
import { VisitDocumentsModule, VisitRecordsModule } from '@hims/visits';
import { ABDM_CONFIG, AbdmConfig, loadAbdmConfig } from './abdm.config';
import { AbdmRepository } from './abdm.repository';
import { InboxRepository } from './inbox.repository';
import { OutboundRepository } from './outbound.repository';
import { CallbackIntake } from './callback-intake.service';
import { GatewayCallbacksController } from './callbacks.controller';
import { DiscoveryService } from './discovery.service';
import { GatewayCallbackGuard } from './gateway-callback.guard';
import { GatewayTokenVerifier } from './gateway-token.verifier';
import { GatewayClient } from './gateway.client';
import { HipLinkingService } from './hip-linking.service';
import { LinkTokenRepository } from './link-token.repository';
import { LinkingService } from './linking.service';
import { PatientLookupRepository } from './patient-lookup.repository';
import { AbdmProcessor } from './processor';
import { DevSinkSmsSender, SMS_SENDER } from './sms';
import { AbdmStaffController } from './staff.controller';
import { AbdmStaffService } from './staff.service';
import { AbdmTransactions } from './transactions.service';
import { ConsentCallbacksController } from './consent-callbacks.controller';
import { ConsentRepository } from './consent.repository';
import { ConsentService } from './consent.service';
import { HealthInformationRequestService } from './health-information-request.service';
import { TransferService } from './transfer.service';
import { ContextNotifyService } from './context-notify.service';
import { LinkRetryController } from './link-retry.controller';
import { LinkRetryService } from './link-retry.service';
import { NotifyShareRepository } from './notify-share.repository';
import { ProfileShareService } from './profile-share.service';
import { SmsNotifyService } from './sms-notify.service';

const core: Provider[] = [
  { provide: ABDM_CONFIG, useFactory: () => loadAbdmConfig(process.env) },
  {
    provide: SMS_SENDER,
    inject: [ABDM_CONFIG, OutboundRepository],
    useFactory: (config: AbdmConfig, repo: OutboundRepository) => {
      if (config.smsProvider === 'dev-sink') return new DevSinkSmsSender(repo);
      throw new ConfigError('ABDM_SMS_PROVIDER', `names no known SMS provider (got "${config.smsProvider}")`);
    },
  },
  AbdmRepository,
  InboxRepository,
  OutboundRepository,
  PatientLookupRepository,
  AbdmTransactions,
  DiscoveryService,
  LinkingService,
  HipLinkingService,
  LinkTokenRepository,
  GatewayClient,
  AbdmProcessor,
  ConsentRepository,
  ConsentService,
  HealthInformationRequestService,
  TransferService,
  NotifyShareRepository,
  ContextNotifyService,
  SmsNotifyService,
  ProfileShareService,
];

/**
 * The ABDM HIP bridge. `forApi()`: the gateway callback endpoints and the staff
 * endpoints (the processor runs here only with ABDM_PROCESSOR=on);
 * `forWorker()`: the processor loop (on whenever ABDM_ENABLED is). Needs the database and
 * configuration (global); imports what else it uses.
 */
@Module({})
export class AbdmModule {
  static forApi(): DynamicModule {
    return {
      module: AbdmModule,
      // Patients through their routeless module (scan-and-share registers, discovery matches).
      imports: [
        TenantScopeModule,
        AuditRecorderModule,
        IdempotencyModule,
        VisitRecordsModule,
        VisitDocumentsModule,
        PatientRecordsModule,
        QueueRecordsModule,
      ],
      controllers: [
        GatewayCallbacksController,
        ConsentCallbacksController,
        AbdmStaffController,
        LinkRetryController,
      ],
      providers: [
        ...core,
        GatewayTokenVerifier,
        GatewayCallbackGuard,
        CallbackIntake,
        AbdmStaffService,
        LinkRetryService,
      ],
      exports: [AbdmProcessor, ABDM_CONFIG],
    };
  }

  static forWorker(): DynamicModule {
    return {
      module: AbdmModule,
      // Modules without routes: the worker listens for /health and /metrics only.
      imports: [
        TenantScopeModule,
        AuditRecorderModule,
        VisitRecordsModule,
        VisitDocumentsModule,
        PatientRecordsModule,
        QueueRecordsModule,
      ],
      providers: [
        ...core.filter((p) => p !== core[0]),
        {
          provide: ABDM_CONFIG,
          useFactory: () => {
            const config = loadAbdmConfig(process.env);
            return { ...config, processor: config.enabled };
          },
        },
      ],
      exports: [AbdmProcessor],
    };
  }
}
