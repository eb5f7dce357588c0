import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A place on the map, duplicates and on-the-spot resolution (issue 10, points 2–4).
 *
 * A request may carry a point, stored in WGS-84 whatever system it was given in. Radius queries
 * use `cube` and `earthdistance` from contrib (no new server to install, unlike PostGIS): a GiST
 * index over the point as an `earth` (a 3-D point on a sphere), searched with a box that holds the
 * circle and re-checked by great-circle distance. earthdistance 1.1's `ll_to_earth` calls
 * `earth()` without naming its schema, so an index built on it breaks when a restore or
 * autovacuum runs with another search_path; `request_earth` pins it.
 *
 * A town may have an area (a centre and a radius): a point outside it is refused, which catches
 * a point in the sea or a phone that has not found its position yet.
 *
 * A merged duplicate points at its original (`merged_into_id`) and closes with outcome
 * `duplicate`; the figures leave it out (the original counts once), and the rollup counts
 * requests resolved on the spot. Near-identical titles are compared by the same normal form and
 * two-character grams the search uses, so no third extension is needed.
 */
export class PlaceDuplicatesOnSpot1764800000000 implements MigrationInterface {
  name = 'PlaceDuplicatesOnSpot1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS cube SCHEMA public`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS earthdistance SCHEMA public`);
    await q.query(`
      CREATE FUNCTION request_earth(lat double precision, lng double precision)
      RETURNS public.earth LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      SET search_path = public, pg_catalog
      RETURN public.ll_to_earth(lat, lng)`);

    await q.query(`
      ALTER TABLE requests
        ADD COLUMN latitude double precision,
        ADD COLUMN longitude double precision,
        ADD COLUMN coordinate_system text,
        ADD COLUMN merged_into_id uuid REFERENCES requests (id),
        ADD COLUMN resolved_on_spot boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT requests_point_check CHECK (
          (latitude IS NULL AND longitude IS NULL AND coordinate_system IS NULL) OR
          (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
           AND coordinate_system IN ('wgs84', 'gcj02'))),
        ADD CONSTRAINT requests_merged_check CHECK (
          merged_into_id IS NULL OR (merged_into_id <> id AND outcome = 'duplicate'))`);
    await q.query(`
      CREATE INDEX requests_point_idx ON requests USING gist (request_earth(latitude, longitude))
      WHERE latitude IS NOT NULL`);
    // Who follows an original: found when the original resolves.
    await q.query(`
      CREATE INDEX requests_merged_into_idx ON requests (merged_into_id)
      WHERE merged_into_id IS NOT NULL`);
    // The merged duplicates of a subtree and a period, counted live: few rows, a small index.
    await q.query(`
      CREATE INDEX requests_path_duplicate_idx ON requests (unit_path text_pattern_ops, created_at)
      WHERE outcome = 'duplicate'`);

    await q.query(`
      ALTER TABLE units
        ADD COLUMN area_latitude double precision,
        ADD COLUMN area_longitude double precision,
        ADD COLUMN area_radius_m int,
        ADD CONSTRAINT units_area_check CHECK (
          (area_latitude IS NULL AND area_longitude IS NULL AND area_radius_m IS NULL) OR
          (type = 'town' AND area_latitude BETWEEN -90 AND 90
           AND area_longitude BETWEEN -180 AND 180 AND area_radius_m BETWEEN 100 AND 200000))`);

    // Jaccard similarity of two sets of grams: shared ÷ all, 0 when both are empty.
    await q.query(`
      CREATE FUNCTION gram_similarity(a text[], b text[]) RETURNS double precision
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN (SELECT coalesce(count(*) FILTER (WHERE g = ANY (a) AND g = ANY (b))::float8
                              / nullif(count(*), 0), 0)
                FROM (SELECT unnest(a) UNION SELECT unnest(b)) u (g))`);

    await q.query(`ALTER TABLE request_stats ADD COLUMN resolved_on_spot int NOT NULL DEFAULT 0`);
    // The covering index of the received figures gains the new column, so they stay index-only.
    await q.query(`
      CREATE INDEX requests_path_created_cov2_idx ON requests (unit_path text_pattern_ops, created_at)
      INCLUDE (state, accepted_at, responded_on_time, return_count, resolved_at, escalated_at,
               resolved_on_time, outcome, reopen_count, overdue_since, resolved_on_spot)`);
    await q.query(`DROP INDEX requests_path_created_cov_idx`);
    await q.query(
      `ALTER INDEX requests_path_created_cov2_idx RENAME TO requests_path_created_cov_idx`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX requests_path_created_cov1_idx ON requests (unit_path text_pattern_ops, created_at)
      INCLUDE (state, accepted_at, responded_on_time, return_count, resolved_at, escalated_at,
               resolved_on_time, outcome, reopen_count, overdue_since)`);
    await q.query(`DROP INDEX requests_path_created_cov_idx`);
    await q.query(
      `ALTER INDEX requests_path_created_cov1_idx RENAME TO requests_path_created_cov_idx`,
    );
    await q.query(`ALTER TABLE request_stats DROP COLUMN resolved_on_spot`);
    await q.query(`DROP FUNCTION gram_similarity(text[], text[])`);
    await q.query(`
      ALTER TABLE units DROP CONSTRAINT units_area_check,
        DROP COLUMN area_latitude, DROP COLUMN area_longitude, DROP COLUMN area_radius_m`);
    await q.query(`DROP INDEX requests_path_duplicate_idx`);
    await q.query(`DROP INDEX requests_merged_into_idx`);
    await q.query(`DROP INDEX requests_point_idx`);
    await q.query(`
      ALTER TABLE requests DROP CONSTRAINT requests_merged_check,
        DROP CONSTRAINT requests_point_check, DROP COLUMN resolved_on_spot,
        DROP COLUMN merged_into_id, DROP COLUMN coordinate_system, DROP COLUMN longitude,
        DROP COLUMN latitude`);
    await q.query(`DROP FUNCTION request_earth(double precision, double precision)`);
  }
}
