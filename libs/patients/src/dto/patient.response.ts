import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GENDERS } from './patient-fields.dto';

class PatientNameView {
  @ApiProperty({ type: [String] }) given!: string[];
  @ApiProperty({ type: String, nullable: true }) family!: string | null;
  @ApiProperty({ type: [String] }) prefix!: string[];
  @ApiProperty() text!: string;
}

class AddressView {
  @ApiPropertyOptional({ type: [String] }) lines?: string[];
  @ApiPropertyOptional() city?: string;
  @ApiPropertyOptional() district?: string;
  @ApiPropertyOptional() state?: string;
  @ApiPropertyOptional() postalCode?: string;
  @ApiPropertyOptional() country?: string;
}

/** The registry's own JSON representation of a patient (see /fhir for FHIR R4). */
export class PatientResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'MRN-000123' }) mrn!: string;
  @ApiProperty({ type: PatientNameView }) name!: PatientNameView;
  @ApiProperty({ enum: GENDERS }) gender!: string;
  @ApiProperty({ description: 'YYYY-MM-DD, or YYYY when only the year is known' }) birthDate!: string;
  @ApiProperty() birthYear!: number;
  @ApiProperty() birthDateApproximate!: boolean;
  @ApiProperty({ type: [String], description: 'E.164' }) phones!: string[];
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: AddressView, nullable: true }) address!: AddressView | null;
  @ApiProperty({ type: String, nullable: true, description: '14 digits' }) abhaNumber!: string | null;
  @ApiProperty({ type: String, nullable: true }) abhaAddress!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() deceased!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) updatedBy!: string | null;
}

export class PatientSearchHit extends PatientResponse {
  @ApiProperty({ description: 'Name match score (0 when no name was searched)' }) score!: number;
}

export class PatientSearchResponse {
  @ApiProperty({ type: [PatientSearchHit] }) items!: PatientSearchHit[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class DuplicateCandidate {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() mrn!: string;
  @ApiProperty({ type: [String], enum: ['abha_number', 'abha_address', 'phone_birth_date', 'similar_name_birth_date'] })
  reasons!: string[];
}
