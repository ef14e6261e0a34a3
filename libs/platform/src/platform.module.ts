import { Module } from '@nestjs/common';
import { PlatformAuthGuard } from './platform-auth.guard';
import { PlatformAuthService } from './platform-auth.service';
import { PlatformAuthController, PlatformTenantsController } from './platform.controllers';
import { PlatformDatabase } from './platform-database';
import { PlatformTenantsService } from './platform-tenants.service';
import { ProvisioningService } from './provisioning.service';
import { SagaFaults } from './saga-faults';
import { SagaResumer } from './saga-resumer';
import { SagaRunner } from './saga-runner';

/**
 * The platform realm (docs/onboarding.md): operators' sign-in, tenant
 * provisioning as a saga, tenant listing and suspension. Its routes are
 * outside every tenant (@NoTenant) and behind PlatformAuthGuard; its SQL runs
 * as hims_platform through PlatformDatabase, never through the tenant pool.
 */
@Module({
  controllers: [PlatformAuthController, PlatformTenantsController],
  providers: [
    PlatformDatabase,
    PlatformAuthService,
    PlatformAuthGuard,
    PlatformTenantsService,
    ProvisioningService,
    SagaFaults,
    SagaRunner,
    SagaResumer,
  ],
  exports: [SagaRunner, SagaResumer],
})
export class PlatformModule {}
