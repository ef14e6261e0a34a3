/** A target from issue 6, reported against (never asserted). */
export interface TargetResult {
  target: string;
  goal: string;
  measured: string;
  met: boolean;
  /** How far off, when missed (e.g. "-38 % (620 of 1000 req/s)"). */
  missedBy?: string;
  /** Why the figure should not be read at face value. */
  note?: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** measured must be at least goal. */
export function atLeast(target: string, measured: number, goal: number, unit: string): TargetResult {
  const met = measured >= goal;
  return {
    target,
    goal: `≥ ${goal} ${unit}`,
    measured: `${round1(measured)} ${unit}`,
    met,
    ...(met ? {} : { missedBy: `${round1(((measured - goal) / goal) * 100)} % (${round1(measured)} of ${goal} ${unit})` }),
  };
}

/** measured must stay below goal. */
export function below(target: string, measured: number, goal: number, unit: string): TargetResult {
  const met = measured < goal;
  return {
    target,
    goal: `< ${goal} ${unit}`,
    measured: `${round1(measured)} ${unit}`,
    met,
    ...(met
      ? {}
      : { missedBy: `+${round1(measured - goal)} ${unit} (${round1((measured / goal) * 100)} % of the limit)` }),
  };
}
