/** The pipeline commands report to the operator line by line on stdout. */
export const out = (line: string) => process.stdout.write(`${line}\n`);
