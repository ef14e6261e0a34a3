import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ALL_ROLES, Roles } from '@hims/auth';
import { Idempotent } from '@hims/idempotency';
import { AdvanceResponse, DepositDto, RefundDto, RefundResponse } from './dto/invoice.dto';
import { PatientIdPipe, PaymentIdPipe, tenantHeader } from './ids';
import { toPaymentView } from './invoice.view';
import { PaymentsService } from './payments.service';

/** Refunds against a payment; a patient's advance (deposits). */
@ApiTags('billing')
@ApiBearerAuth()
@tenantHeader
@Controller('api/v1')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('payments/:id/refunds')
  @HttpCode(201)
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Refund part or all of a payment, in its mode, with a reason (tenant_admin; never more than is left)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: RefundResponse })
  @ApiConflictResponse({ description: 'More than is left of the payment; cash without an open shift' })
  refund(@Param('id', PaymentIdPipe) id: string, @Body() dto: RefundDto): Promise<RefundResponse> {
    return this.payments.refund(id, dto);
  }

  @Post('patients/:id/advances')
  @HttpCode(201)
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'Take a deposit (advance) from the patient, applied to an invoice later (billing staff)',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: AdvanceResponse })
  async deposit(@Param('id', PatientIdPipe) id: string, @Body() dto: DepositDto): Promise<AdvanceResponse> {
    const r = await this.payments.deposit(id, dto);
    return { balancePaise: r.balancePaise, payments: r.payments.map(toPaymentView) };
  }

  @Get('patients/:id/advances')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The patient's advance: unused balance and deposits (billing staff; audited)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdvanceResponse })
  async advances(@Param('id', PatientIdPipe) id: string): Promise<AdvanceResponse> {
    const r = await this.payments.advances(id);
    return { balancePaise: r.balancePaise, payments: r.payments.map(toPaymentView) };
  }
}
