import type { CompareOptions, ContenderResult, Ratio } from './compare';

export interface BenchReport {
  name: string;
  title: string;
  contenders: ContenderResult[];
  ratios: Ratio[];
}

export interface Bench {
  name: string;
  run(options: CompareOptions): Promise<BenchReport>;
}
