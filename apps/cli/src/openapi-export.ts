import { writeFileSync } from 'node:fs';
import { renderOpenApi } from '../../api/src/openapi';

export async function exportOpenApi(file: string): Promise<void> {
  writeFileSync(file, await renderOpenApi());
}
