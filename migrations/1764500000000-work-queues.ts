import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The kinds of clock a request can be late on (the feedback clock waits on the resident). */
const DUE_KINDS = `('accept', 'dispatch', 'resolve')`;

/**
 * Work queues: what is due next, searching, and what waits on a supervisor.
 *
 * `requests.next_due_at` is the earliest due time of the request's running accept, dispatch and
 * resolve clocks, so a queue sorted by it is an index-friendly column sort. The engine writes it
 * with the request in the same statement (commitTransition, insertNew); a trigger on
 * request_clocks recomputes it after any clock write (a deadline firing, a calendar edit), and
 * skips the update when the value is already right, so a command pays no second row version.
 *
 * Searching: `request_search` holds each request's title, description, location and reference in
 * a normal form, under a GIN index of its character bigrams. pg_trgm cannot index a two-character
 * pattern, and Chinese words are mostly two characters (路灯, 漏水). The text lives in a table of
 * its own rather than on `requests`: a request row gets a new version on every transition, and a
 * GIN index on it would take every gram of a description of up to 4 000 characters again each
 * time. The texts change only when a request is created, so this table is written once per request.
 */
export class WorkQueues1764500000000 implements MigrationInterface {
  name = 'WorkQueues1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE requests ADD COLUMN next_due_at timestamptz`);
    await q.query(`
      UPDATE requests r SET next_due_at = d.due
        FROM (SELECT request_id, min(due_at) AS due FROM request_clocks
               WHERE status = 'running' AND kind IN ${DUE_KINDS} GROUP BY request_id) d
       WHERE r.id = d.request_id`);
    await q.query(`
      CREATE FUNCTION request_next_due_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE requests r SET next_due_at = d.due
          FROM (SELECT min(due_at) AS due FROM request_clocks
                 WHERE request_id = NEW.request_id AND status = 'running'
                   AND kind IN ${DUE_KINDS}) d
         WHERE r.id = NEW.request_id AND r.next_due_at IS DISTINCT FROM d.due;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER request_clocks_next_due_insert AFTER INSERT ON request_clocks
      FOR EACH ROW WHEN (NEW.kind IN ${DUE_KINDS})
      EXECUTE FUNCTION request_next_due_follow()`);
    // A warning rescheduling the next job leaves status and due time alone: no work then.
    await q.query(`
      CREATE TRIGGER request_clocks_next_due_update AFTER UPDATE ON request_clocks
      FOR EACH ROW WHEN (NEW.kind IN ${DUE_KINDS}
                         AND (OLD.status, OLD.due_at) IS DISTINCT FROM (NEW.status, NEW.due_at))
      EXECUTE FUNCTION request_next_due_follow()`);

    // The normal form searched in: NFKC (full-width Ａ１ become A1) and lower case, one line.
    await q.query(`
      CREATE FUNCTION search_normal(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN lower(normalize(t, NFKC))`);
    await q.query(`
      CREATE FUNCTION request_search_text(title text, description text, location text,
                                          reference text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN search_normal(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' ||
                           coalesce(location, '') || ' ' || coalesce(reference, ''))`);
    // Every two characters in a row within a word (a run without white space): 小区路灯不亮 gives
    // 小区 区路 路灯 灯不 不亮, so any two-character word of it is one gram. Latin words and
    // digits are split the same way; the query's LIKE recheck keeps only real substrings.
    await q.query(`
      CREATE FUNCTION search_grams(normal text) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      BEGIN ATOMIC
        SELECT coalesce(array_agg(DISTINCT substr(w, i, 2)), '{}')
          FROM regexp_split_to_table(normal, '\\s+') AS w,
               generate_series(1, char_length(w) - 1) AS i;
      END`);
    // The index keys: the grams, each under its town (the first 8 hex digits of its id; a search
    // checks the town itself too). A common word (路灯 is in one request of ten) is then a short
    // list within a town rather than a long list to intersect with the town's every request; a
    // search over several towns asks each of them.
    await q.query(`
      CREATE FUNCTION search_town_grams(town uuid, normal text) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN ARRAY(SELECT left(town::text, 8) || g FROM unnest(search_grams(normal)) AS g)`);
    // A LIKE pattern finding the term anywhere, with % _ and \ taken literally.
    await q.query(`
      CREATE FUNCTION search_pattern(term text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN '%' || replace(replace(replace(term, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`);

    // A request's searchable text in normal form, with what a search in a town or a branch needs
    // (the town never changes; the branch only by RETURN), so such a search, newest first, is
    // answered from this table and its index alone and reads only the page of requests it shows.
    await q.query(`
      CREATE TABLE request_search (
        request_id uuid PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
        town_id uuid NOT NULL,
        branch_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        doc text NOT NULL
      )`);
    await q.query(`
      CREATE INDEX request_search_grams_idx ON request_search
      USING gin (search_town_grams(town_id, doc))`);
    const columns = (row: string) =>
      `${row}.town_id, ${row}.branch_id, ${row}.created_at,
       request_search_text(${row}.title, ${row}.description, ${row}.location, ${row}.reference)`;
    await q.query(`
      CREATE FUNCTION request_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO request_search (request_id, town_id, branch_id, created_at, doc)
        SELECT n.id, ${columns('n')} FROM new_rows n;
        RETURN NULL;
      END $$`);
    // Per statement, so a bulk load (COPY) writes its rows in one pass.
    await q.query(`
      CREATE TRIGGER requests_search_insert AFTER INSERT ON requests
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION request_search_insert()`);
    await q.query(`
      CREATE FUNCTION request_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE request_search SET (town_id, branch_id, created_at, doc) = (SELECT ${columns('NEW')})
         WHERE request_id = NEW.id;
        RETURN NULL;
      END $$`);
    // Only a RETURN (branch_id) among the transitions sets one of these columns.
    const watched = (row: string) =>
      `(${['title', 'description', 'location', 'reference', 'town_id', 'branch_id', 'created_at']
        .map((c) => `${row}.${c}`)
        .join(', ')})`;
    await q.query(`
      CREATE TRIGGER requests_search_update
      AFTER UPDATE OF title, description, location, reference, town_id, branch_id, created_at
      ON requests FOR EACH ROW WHEN (${watched('OLD')} IS DISTINCT FROM ${watched('NEW')})
      EXECUTE FUNCTION request_search_update()`);
    await q.query(`
      INSERT INTO request_search (request_id, town_id, branch_id, created_at, doc)
      SELECT r.id, ${columns('r')} FROM requests r`);

    // What waits on a supervisor: the few requests with an extension asked for, by subtree.
    await q.query(`
      CREATE INDEX requests_extension_pending_idx ON requests (unit_path text_pattern_ops)
      WHERE jsonb_typeof(context -> 'extensionRequested') = 'object'`);
    // How few they are: without it the planner guesses 0.5 % and may walk the newest requests
    // looking for a page of them, which takes the whole table when there are fewer than a page.
    await q.query(`
      CREATE STATISTICS requests_extension_pending_stats
      ON (jsonb_typeof(context -> 'extensionRequested')) FROM requests`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS requests_extension_pending_stats`);
    await q.query(`DROP INDEX requests_extension_pending_idx`);
    await q.query(`DROP TRIGGER requests_search_update ON requests`);
    await q.query(`DROP TRIGGER requests_search_insert ON requests`);
    await q.query(`DROP FUNCTION request_search_update()`);
    await q.query(`DROP FUNCTION request_search_insert()`);
    await q.query(`DROP TABLE request_search`);
    await q.query(`DROP FUNCTION search_pattern(text)`);
    await q.query(`DROP FUNCTION search_town_grams(uuid, text)`);
    await q.query(`DROP FUNCTION search_grams(text)`);
    await q.query(`DROP FUNCTION request_search_text(text, text, text, text)`);
    await q.query(`DROP FUNCTION search_normal(text)`);
    await q.query(`DROP TRIGGER request_clocks_next_due_update ON request_clocks`);
    await q.query(`DROP TRIGGER request_clocks_next_due_insert ON request_clocks`);
    await q.query(`DROP FUNCTION request_next_due_follow()`);
    await q.query(`ALTER TABLE requests DROP COLUMN next_due_at`);
  }
}
