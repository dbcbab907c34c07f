namespace CareMessaging.Audit.Data.Migrations;

/// <summary>
/// The database side of the tamper-evident trail (docs/decisions/0030-audit-hash-chain.md):
/// the canonical form and hash of a record, the chain trigger that numbers, stamps and hashes
/// every appended record under one lock, and the trigger that refuses UPDATE, DELETE and TRUNCATE
/// except a retention purge's deletion of records older than the cutoff it names.
/// The chain lock's key stands here as a literal, because an applied migration never changes;
/// <c>AdvisoryLocks.AuditChain</c> in ServiceDefaults registers the same number.
/// </summary>
internal static class TamperEvidenceSql
{
    public const string Up = """
        -- Records are numbered by the chain trigger, under the chain lock, so numbers follow chain order.
        CREATE SEQUENCE audit_records_id_seq OWNED BY audit_records.id;
        SELECT setval('audit_records_id_seq', coalesce((SELECT max(id) FROM audit_records), 0) + 1, false);

        -- One field of the canonical form: name=<UTF-8 byte length>:<value> or name=- for null, one per line.
        CREATE FUNCTION audit_canonical_field(name text, value text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
            SELECT name || '=' || CASE WHEN value IS NULL THEN '-' ELSE octet_length(value)::text || ':' || value END || E'\n'
        $$;

        CREATE FUNCTION audit_canonical_time(value timestamptz) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
            SELECT to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        $$;

        -- Everything a record says, the previous record's hash included; the id is not part of it.
        CREATE FUNCTION audit_record_canonical(r audit_records) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
            SELECT 'caremessaging-audit-v1' || E'\n'
                || audit_canonical_field('event_id', r.event_id::text)
                || audit_canonical_field('occurred_at', audit_canonical_time(r.occurred_at))
                || audit_canonical_field('recorded_at', audit_canonical_time(r.recorded_at))
                || audit_canonical_field('action', r.action)
                || audit_canonical_field('actor_id', r.actor_id)
                || audit_canonical_field('actor_role', r.actor_role)
                || audit_canonical_field('source_service', r.source_service)
                || audit_canonical_field('patient_id', r.patient_id)
                || audit_canonical_field('conversation_id', r.conversation_id::text)
                || audit_canonical_field('correlation_id', r.correlation_id)
                || audit_canonical_field('client_ip', r.client_ip)
                || audit_canonical_field('details', r.details)
                || audit_canonical_field('previous_hash', r.previous_hash)
        $$;

        CREATE FUNCTION audit_record_hash(r audit_records) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
            SELECT encode(sha256(convert_to(audit_record_canonical(r), 'UTF8')), 'hex')
        $$;

        -- Records written before the chain existed are chained in id order, once.
        DO $$
        DECLARE
            r audit_records;
            previous text := repeat('0', 64);
        BEGIN
            FOR r IN SELECT * FROM audit_records ORDER BY id LOOP
                r.previous_hash := previous;
                previous := audit_record_hash(r);
                UPDATE audit_records SET previous_hash = r.previous_hash, hash = previous WHERE id = r.id;
            END LOOP;
        END
        $$;

        ALTER TABLE audit_records ALTER COLUMN hash DROP DEFAULT;
        ALTER TABLE audit_records ALTER COLUMN previous_hash DROP DEFAULT;

        -- Appends: one at a time across every connection and replica (transaction-scoped advisory lock
        -- 7263510001, held until commit), numbered, stamped by the database clock and hashed onto the
        -- newest record. Whatever the client sends for these columns is replaced.
        CREATE FUNCTION audit_records_chain() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            previous text;
        BEGIN
            PERFORM pg_advisory_xact_lock(7263510001);
            SELECT hash INTO previous FROM audit_records ORDER BY id DESC LIMIT 1;
            NEW.id := nextval('audit_records_id_seq');
            NEW.recorded_at := clock_timestamp();
            NEW.previous_hash := coalesce(previous, repeat('0', 64));
            NEW.hash := audit_record_hash(NEW);
            RETURN NEW;
        END
        $$;

        CREATE TRIGGER audit_records_chain BEFORE INSERT ON audit_records
            FOR EACH ROW EXECUTE FUNCTION audit_records_chain();

        -- No change and no removal, except what a retention purge names: in its own transaction it sets
        -- caremessaging.audit_purge_before to its cutoff, and only rows recorded before it may go.
        CREATE FUNCTION audit_records_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            purge_before text := current_setting('caremessaging.audit_purge_before', true);
        BEGIN
            IF TG_OP = 'DELETE' AND coalesce(purge_before, '') <> '' AND OLD.recorded_at < purge_before::timestamptz THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit_records is append-only: % is not allowed', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$;

        CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
            FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();

        CREATE FUNCTION audit_records_no_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_records is append-only: TRUNCATE is not allowed' USING ERRCODE = 'insufficient_privilege';
        END
        $$;

        CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
            FOR EACH STATEMENT EXECUTE FUNCTION audit_records_no_truncate();
        """;

    public const string Down = """
        DROP TRIGGER audit_records_no_truncate ON audit_records;
        DROP FUNCTION audit_records_no_truncate();
        DROP TRIGGER audit_records_append_only ON audit_records;
        DROP FUNCTION audit_records_append_only();
        DROP TRIGGER audit_records_chain ON audit_records;
        DROP FUNCTION audit_records_chain();
        DROP FUNCTION audit_record_hash(audit_records);
        DROP FUNCTION audit_record_canonical(audit_records);
        DROP FUNCTION audit_canonical_time(timestamptz);
        DROP FUNCTION audit_canonical_field(text, text);
        DROP SEQUENCE audit_records_id_seq;
        """;
}
