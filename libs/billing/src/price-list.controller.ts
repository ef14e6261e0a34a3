import { Body, Controller, Get, Headers, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ALL_ROLES, Roles } from '@hims/auth';
import { Idempotent } from '@hims/idempotency';
import { etagOf, parseIfMatch } from '@hims/errors';
import {
  BillingSettingsDto,
  BillingSettingsResponse,
  CreatePriceItemDto,
  ListPriceItemsQuery,
  PriceItemResponse,
  PriceListResponse,
  UpdatePriceItemDto,
} from './dto/price-list.dto';
import { ifMatchOptional, ifMatchRequired, PriceItemIdPipe, tenantHeader } from './ids';
import { PriceListService } from './price-list.service';

/** The clinic's price list and billing settings (changes: tenant_admin; reads: all staff). */
@ApiTags('billing')
@ApiBearerAuth()
@tenantHeader
@Controller('api/v1/billing')
export class PriceListController {
  constructor(private readonly prices: PriceListService) {}

  @Get('price-items')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The price list (optionally only the items in effect on a day)' })
  @ApiOkResponse({ type: PriceListResponse })
  async list(@Query() query: ListPriceItemsQuery): Promise<PriceListResponse> {
    return { items: await this.prices.list(query.on) };
  }

  @Post('price-items')
  @Idempotent()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Add a price list item (tenant_admin; audited)' })
  @ApiCreatedResponse({ type: PriceItemResponse })
  @ApiForbiddenResponse({ description: 'Not a tenant_admin' })
  @ApiConflictResponse({ description: 'Another price for the code is in effect on some of these days' })
  async create(
    @Body() dto: CreatePriceItemDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceItemResponse> {
    const row = await this.prices.create(dto);
    res.setHeader('Location', `/api/v1/billing/price-items/${row.id}`);
    res.setHeader('ETag', etagOf(row.version));
    return row;
  }

  @Get('price-items/:id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'One price list item' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PriceItemResponse })
  async get(
    @Param('id', PriceItemIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceItemResponse> {
    const row = await this.prices.get(id);
    res.setHeader('ETag', etagOf(row.version));
    return row;
  }

  @Patch('price-items/:id')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary:
      'Change a price list item (tenant_admin, If-Match; audited). Bills already made keep their prices.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ifMatchRequired
  @ApiOkResponse({ type: PriceItemResponse })
  @ApiPreconditionFailedResponse({ description: 'Stale version' })
  async update(
    @Param('id', PriceItemIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdatePriceItemDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceItemResponse> {
    const row = await this.prices.update(id, parseIfMatch(ifMatch, true)!, dto);
    res.setHeader('ETag', etagOf(row.version));
    return row;
  }

  @Get('settings')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: "The clinic's billing settings (printed name, address, GSTIN, discount limit)" })
  @ApiOkResponse({ type: BillingSettingsResponse })
  async settings(@Res({ passthrough: true }) res: Response): Promise<BillingSettingsResponse> {
    const row = await this.prices.settings();
    res.setHeader('ETag', etagOf(row.version));
    return row;
  }

  @Put('settings')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Replace the billing settings (tenant_admin; If-Match once they exist; audited)' })
  @ifMatchOptional
  @ApiOkResponse({ type: BillingSettingsResponse })
  async saveSettings(
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: BillingSettingsDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BillingSettingsResponse> {
    const row = await this.prices.saveSettings(dto, parseIfMatch(ifMatch, false));
    res.setHeader('ETag', etagOf(row.version));
    return row;
  }
}
