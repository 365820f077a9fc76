import type { CompareOptions, ContenderResult, Ratio } from './compare';

export interface BenchReport {
  name: string;
  title: string;
  contenders: ContenderResult[];
  ratios: Ratio[];
  /** Figures measured beside the load runs, such as a floor that bounds a ratio. */
  measures?: Measure[];
}

export interface Measure {
  label: string;
  value: number;
  unit: string;
}

export interface Bench {
  name: string;
  run(options: CompareOptions): Promise<BenchReport>;
}
