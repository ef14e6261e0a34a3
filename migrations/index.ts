// Every migration, in order. The DataSource takes classes (not a glob) so the
// same list runs from compiled JS and from ts-jest.
import { Foundation1763780000000 } from './1763780000000-Foundation';
import { AuditTrail1763780100000 } from './1763780100000-AuditTrail';
import { Auth1763780200000 } from './1763780200000-Auth';
import { Patients1763780300000 } from './1763780300000-Patients';
import { Pipeline1763780400000 } from './1763780400000-Pipeline';
import { Visits1763792000000 } from './1763792000000-Visits';

export const ALL_MIGRATIONS = [Foundation1763780000000, AuditTrail1763780100000, Auth1763780200000, Patients1763780300000, Pipeline1763780400000, Visits1763792000000];
