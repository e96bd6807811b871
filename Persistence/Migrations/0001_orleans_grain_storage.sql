-- 0001: grain state storage for Orleans' ADO.NET provider (Microsoft.Orleans.Persistence.AdoNet 10.4.2).
--
-- Why this script exists: the provider ships no SQL. At silo start it runs a hard-coded
--   SELECT QueryKey, QueryText FROM OrleansQuery WHERE QueryKey = ...
-- and afterwards executes whatever text it found there, binding parameters by name
-- (@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) and reading result
-- columns by name. So this script owns both halves of that contract: the table that holds
-- state, and the query texts that the provider will run against it.
--
-- ETag rules the provider relies on (it compares the version we return with the one it sent):
--   * a write with no version succeeds only if no row exists yet;
--   * a write or clear with a version succeeds only if the stored version still equals it;
--   * on success we return the new version, on a conflict we return no row at all, which the
--     provider turns into Orleans.Storage.InconsistentStateException.
--
-- No BEGIN/COMMIT here: the migration runner decides the transaction (run it with a
-- transaction per script, or `psql --single-transaction`), and every statement below can be
-- replayed without harm.

-- Grain state. The provider hands us 32-bit hashes of the grain key and of the "grain type"
-- (in Orleans 10 that is the state name from [PersistentState("name", ...)], not the grain
-- class), plus the natural key itself; the hashes narrow the search, the natural key decides.
CREATE TABLE IF NOT EXISTS orleans_storage
(
    grain_id_hash       integer     NOT NULL,
    grain_type_hash     integer     NOT NULL,
    -- Integer keys land in grain_id_n1 (n0 = 0); Guid keys are split over both;
    -- string keys leave both 0 and live in grain_id_extension.
    grain_id_n0         bigint      NOT NULL,
    grain_id_n1         bigint      NOT NULL,
    grain_id_extension  text,
    grain_type          text        NOT NULL,
    service_id          text        NOT NULL,
    -- NULL payload means "cleared but remembered": the row keeps its version so that a
    -- stale activation still cannot write over the clear.
    payload             bytea,
    version             integer     NOT NULL,
    modified_at         timestamptz NOT NULL DEFAULT now()
);

-- One row per grain state, enforced by the database rather than by hoping that two racing
-- activations never insert at the same moment: the loser of such a race hits this index,
-- its INSERT ... ON CONFLICT DO NOTHING returns nothing, and Orleans raises the conflict.
-- The text parts are indexed through md5() so that long string keys cannot exceed the btree
-- row-size limit; NULLS NOT DISTINCT (PostgreSQL 15) makes two keys without an extension equal.
-- The leading hash columns double as the lookup path for every query below.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_storage_grain_uq
    ON orleans_storage (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                        md5(service_id), md5(grain_type), md5(grain_id_extension))
    NULLS NOT DISTINCT;

-- The provider parses the ETag as a 32-bit int, and a busy grain can write ~1,000 times a
-- second, i.e. reach int4's limit within weeks. Wrapping into the negative range keeps the
-- ETag valid (and distinct from the last ~4 billion versions) instead of failing forever
-- with "integer out of range".
CREATE OR REPLACE FUNCTION orleans_storage_next_version(current_version integer)
    RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN current_version = 2147483647 THEN -2147483648 ELSE current_version + 1 END;

-- The provider's lookup query is unquoted, so PostgreSQL folds it to orleansquery / querykey /
-- querytext: these names must stay lower-case and unquoted. The layout matches the table that
-- Orleans' other ADO.NET providers (clustering, reminders) read too, so they can share it.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_key PRIMARY KEY (querykey)
);

-- Query texts. Each is a single statement so the provider sees exactly one result set.
-- Result column names are quoted because the provider looks them up by these exact names.
INSERT INTO orleansquery (querykey, querytext)
VALUES
(
    -- Must return at most one row: PayloadBinary (NULL = no state) and Version (the ETag).
    'ReadFromStorageKey',
    $q$
SELECT s.payload AS "PayloadBinary",
       s.version AS "Version"
FROM orleans_storage AS s
WHERE s.grain_id_hash = @GrainIdHash
  AND s.grain_type_hash = @GrainTypeHash
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString::text
$q$
),
(
    -- Must return one row with NewGrainStateVersion on success and no row on a conflict.
    -- Exactly one of the two branches can act, chosen by whether the caller holds a version.
    'WriteToStorageKey',
    $q$
WITH replaced AS
(
    UPDATE orleans_storage AS s
    SET payload = @PayloadBinary,
        version = orleans_storage_next_version(s.version),
        modified_at = now()
    WHERE @GrainStateVersion::integer IS NOT NULL
      AND s.grain_id_hash = @GrainIdHash
      AND s.grain_type_hash = @GrainTypeHash
      AND s.grain_id_n0 = @GrainIdN0
      AND s.grain_id_n1 = @GrainIdN1
      AND s.service_id = @ServiceId
      AND s.grain_type = @GrainTypeString
      AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString::text
      AND s.version = @GrainStateVersion::integer
    RETURNING s.version
),
created AS
(
    INSERT INTO orleans_storage
        (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_id_extension,
         grain_type, service_id, payload, version)
    SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString::text,
           @GrainTypeString, @ServiceId, @PayloadBinary, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM replaced
UNION ALL
SELECT version FROM created
$q$
),
(
    -- Used when DeleteStateOnClear = false (the default). The provider reads the first column
    -- as the new ETag; no row means the caller's version was stale.
    'ClearStorageKey',
    $q$
UPDATE orleans_storage AS s
SET payload = NULL,
    version = orleans_storage_next_version(s.version),
    modified_at = now()
WHERE s.grain_id_hash = @GrainIdHash
  AND s.grain_type_hash = @GrainTypeHash
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString::text
  AND s.version = @GrainStateVersion::integer
RETURNING s.version AS "NewGrainStateVersion"
$q$
),
(
    -- Used when DeleteStateOnClear = true; optional for the provider, but without it that
    -- option makes silo start-up fail. The provider only checks that the value differs from
    -- the version it sent (it then forgets the ETag), so we report the version after the old one.
    'DeleteStorageKey',
    $q$
DELETE FROM orleans_storage AS s
WHERE s.grain_id_hash = @GrainIdHash
  AND s.grain_type_hash = @GrainTypeHash
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString::text
  AND s.version = @GrainStateVersion::integer
RETURNING orleans_storage_next_version(s.version) AS "NewGrainStateVersion"
$q$
)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
