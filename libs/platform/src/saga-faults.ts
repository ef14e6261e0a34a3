import { Injectable } from '@nestjs/common';

/** Thrown by the test-only fault hook. */
export class InjectedFault extends Error {
  constructor(readonly step: string) {
    super(`injected fault at ${step}`);
  }
}

export const FAULT_ENV = 'HIMS_TEST_SAGA_FAULT';

/**
 * The saga's fault hook, for tests only: `HIMS_TEST_SAGA_FAULT=<step>:fail`
 * makes that step throw inside its transaction (after its work, so the work is
 * rolled back), `<step>:block` makes the saga wait before the step for as long
 * as the variable says so (a test kills the process meanwhile, or clears it).
 * The variable is read only when NODE_ENV is `test`: in any other environment
 * the hook does nothing, whatever the environment holds.
 */
@Injectable()
export class SagaFaults {
  private spec(): { step: string; mode: 'fail' | 'block' } | undefined {
    if (process.env.NODE_ENV !== 'test') return undefined;
    const raw = process.env[FAULT_ENV];
    const m = raw ? /^([a-z_]+):(fail|block)$/.exec(raw) : null;
    return m ? { step: m[1], mode: m[2] as 'fail' | 'block' } : undefined;
  }

  async beforeStep(step: string): Promise<void> {
    for (;;) {
      const s = this.spec();
      if (!s || s.step !== step || s.mode !== 'block') return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  insideStep(step: string): void {
    const s = this.spec();
    if (s && s.step === step && s.mode === 'fail') throw new InjectedFault(step);
  }
}
