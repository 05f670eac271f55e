// Plausible courses for the demo's results and measurements: each one follows a slow trend and
// the effect of treatment (metformin started and later raised, a statin, blood pressure tablets)
// with small measurement noise on top. The noise comes from the record's seeded generator, so a
// seed always gives the same values and tests and screenshots stay stable.

const DAY = 86_400_000;

/** The record's span and the dates its treatments began (epoch milliseconds). */
export type Course = {
  start: number;
  end: number;
  /** Type 2 diabetes diagnosed (HbA1c has crept over 48 mmol/mol). */
  diagnosis: number;
  /** Metformin started, and later the dose raised. */
  metforminStart: number;
  metforminIncrease: number;
  statinStart: number;
  bloodPressureTreatment: number;
};

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
/** From `from` towards `to`, about two thirds of the way after `tau` days. */
const settle = (from: number, to: number, days: number, tau: number): number =>
  to + (from - to) * Math.exp(-Math.max(0, days) / tau);
const daysBetween = (a: number, b: number): number => (b - a) / DAY;
/** Higher in winter, lower in summer (blood pressure does this). */
const season = (t: number): number => Math.cos((2 * Math.PI * (t % (365.25 * DAY))) / (365.25 * DAY));

/** HbA1c (mmol/mol): creeps up for years, rises to about 62 before metformin, falls, falls again after the dose is raised. */
export function hba1cTrend(t: number, c: Course): number {
  if (t < c.diagnosis) return 38 + 11 * clamp01((t - c.start) / (c.diagnosis - c.start));
  if (t < c.metforminStart) return 49 + 13 * clamp01((t - c.diagnosis) / (c.metforminStart - c.diagnosis));
  const onFirstDose = (at: number) => settle(62, 56, daysBetween(c.metforminStart, at), 75);
  if (t < c.metforminIncrease) return onFirstDose(t);
  return settle(onFirstDose(c.metforminIncrease), 50, daysBetween(c.metforminIncrease, t), 75);
}

export function systolicTrend(t: number, c: Course): number {
  const treated =
    t < c.bloodPressureTreatment ? 156 : settle(156, 136, daysBetween(c.bloodPressureTreatment, t), 60);
  return treated + 3 * season(t);
}

export function diastolicTrend(t: number, c: Course): number {
  const treated =
    t < c.bloodPressureTreatment ? 94 : settle(94, 82, daysBetween(c.bloodPressureTreatment, t), 60);
  return treated + 2 * season(t);
}

/** Weight (kg): a slow gain with age, a little loss once metformin is started. */
export function weightTrend(t: number, c: Course): number {
  const years = daysBetween(c.start, t) / 365.25;
  const loss = t < c.metforminStart ? 0 : 2.5 * (1 - Math.exp(-daysBetween(c.metforminStart, t) / 120));
  return 82 + 0.4 * years - loss;
}

/** Total cholesterol (mmol/L): about 6 until the statin, then about 4.2. */
export function cholesterolTrend(t: number, c: Course): number {
  const untreated = 5.8 + 0.3 * clamp01((t - c.start) / (c.statinStart - c.start));
  return t < c.statinStart ? untreated : settle(untreated, 4.2, daysBetween(c.statinStart, t), 30);
}

/** eGFR (mL/min/1.73m2): a slow fall with age. */
export function egfrTrend(t: number, c: Course): number {
  return 88 - 0.8 * (daysBetween(c.start, t) / 365.25);
}

export const sodiumTrend = (): number => 139;

/** Small measurement noise, between -size and +size, most often near 0. */
export function noise(rand: () => number, size: number): number {
  return (rand() + rand() - 1) * size;
}

const round = (v: number, places: number): number => Math.round(v * 10 ** places) / 10 ** places;

/** One visit's values: the trends plus noise, rounded as a laboratory would report them. */
export function valuesAt(t: number, c: Course, rand: () => number) {
  return {
    hba1c: Math.round(hba1cTrend(t, c) + noise(rand, 1.5)),
    systolic: Math.round(systolicTrend(t, c) + noise(rand, 4)),
    diastolic: Math.round(diastolicTrend(t, c) + noise(rand, 3)),
    weight: round(weightTrend(t, c) + noise(rand, 0.5), 1),
    cholesterol: round(cholesterolTrend(t, c) + noise(rand, 0.15), 1),
    sodium: Math.round(sodiumTrend() + noise(rand, 2)),
    egfr: Math.round(egfrTrend(t, c) + noise(rand, 3)),
  };
}
