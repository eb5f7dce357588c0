/**
 * Parameters of one statement assembled from several repositories' parts (a command writes its
 * request, event, clocks and outbox rows in one statement): each part numbers its values here.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** The placeholder of a new parameter, with a cast when Postgres cannot infer its type. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
