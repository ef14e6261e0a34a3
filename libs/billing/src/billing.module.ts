import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '@hims/audit';
import { EventsModule } from '@hims/events';
import { IdempotencyModule } from '@hims/idempotency';
import { TenantScopeModule } from '@hims/tenancy';
import { CreditNotesService } from './credit-notes.service';
import { InvoicesController, VisitBillController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { PriceListController } from './price-list.controller';
import { PriceListRepository } from './price-list.repository';
import { PriceListService } from './price-list.service';
import { ShiftsController } from './shifts.controller';
import { ShiftsRepository } from './shifts.repository';
import { ShiftsService } from './shifts.service';
import { InvoiceDocumentsController } from './invoice-documents.controller';
import { InvoiceDocumentsService } from './invoice-documents.service';

const SERVICES = [
  PriceListRepository,
  PriceListService,
  InvoicesRepository,
  InvoicesService,
  CreditNotesService,
  PaymentsRepository,
  PaymentsService,
  ShiftsRepository,
  ShiftsService,
  InvoiceDocumentsService,
];

/** Billing rules without HTTP routes (for other modules and the worker). */
@Module({
  imports: [TenantScopeModule, AuditRecorderModule, EventsModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class BillingRecordsModule {}

/** Billing over HTTP (the API imports this one). */
@Module({
  imports: [BillingRecordsModule, TenantScopeModule, IdempotencyModule],
  controllers: [
    PriceListController,
    VisitBillController,
    InvoicesController,
    InvoiceDocumentsController,
    PaymentsController,
    ShiftsController,
  ],
})
export class BillingModule {}
