import { PageLimit } from '@hims/errors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** GET /api/v1/audit query. All filters combine with AND; newest first. */
export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Entity id (e.g. a patient id)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'User who acted' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({
    description: 'INSERT, UPDATE, DELETE, read, fhir_read, search, allow_duplicate, patient.registered, …',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/, {
    message: 'action must be an action name such as read or UPDATE',
  })
  action?: string;

  @ApiPropertyOptional({ description: 'Entity type, e.g. patient or clinical.patients' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_.]{0,63}$/, { message: 'entityType must be an entity type such as patient' })
  entityType?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive lower bound on occurredAt' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive upper bound on occurredAt' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @PageLimit(50)
  limit?: number;
}

export class AuditEntryView {
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      "Place in the tenant's hash chain; null until the sealer links the row (normally within seconds)",
  })
  seq!: number | null;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty() action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty({ type: String, nullable: true }) entityId!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'Row changes: { column: { old, new } }' })
  changes!: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true }) details!: Record<string, unknown> | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'hex sha256 of the previous row (null until sealed)',
  })
  prevHash!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'hex sha256 of this row (null until sealed)' })
  hash!: string | null;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] }) items!: AuditEntryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
