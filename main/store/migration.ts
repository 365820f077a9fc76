/** One schema step. `version` numbers are unique and applied in ascending order, each once. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
