namespace CareMessaging.Conversation.Data.Migrations;

/// <summary>
/// The database side of the reader tallies (docs/decisions/0017-summary-from-reader-tallies.md):
/// triggers that keep <c>reader_tallies</c> in the transaction of each new message and each moved
/// horizon, and the statement that counts them afresh from messages and horizons. Triggers rather
/// than application code, so that every writer (the API, the demo seed, an operator's SQL) keeps
/// them true. Conversations never change care team and no message or horizon is deleted; a
/// change that did either would have to move or take back the tallies.
/// </summary>
public static class ReaderTallySql
{
    /// <summary>Counts every tally afresh: a reader's horizons plus their own messages after them, per care team.</summary>
    public const string Rebuild = """
        DELETE FROM reader_tallies;
        INSERT INTO reader_tallies (reader_id, care_team_id, settled_messages)
        SELECT reader_id, care_team_id, sum(settled)::bigint
        FROM (
            SELECT h.reader_id, c.care_team_id, h.read_up_to_sequence AS settled
            FROM read_horizons h JOIN conversations c ON c.id = h.conversation_id
            UNION ALL
            SELECT m.sender_id, c.care_team_id, 1
            FROM messages m
            JOIN conversations c ON c.id = m.conversation_id
            LEFT JOIN read_horizons h ON h.conversation_id = m.conversation_id AND h.reader_id = m.sender_id
            WHERE m.sequence > coalesce(h.read_up_to_sequence, 0)
        ) settled
        GROUP BY reader_id, care_team_id;
        """;

    internal const string Up = """
        -- A new message is after its sender's horizon (it has the next sequence), so it is settled for them.
        CREATE FUNCTION reader_tallies_message_sent() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO reader_tallies (reader_id, care_team_id, settled_messages)
            SELECT NEW.sender_id, c.care_team_id, 1 FROM conversations c WHERE c.id = NEW.conversation_id
            ON CONFLICT (reader_id, care_team_id) DO UPDATE
                SET settled_messages = reader_tallies.settled_messages + 1;
            RETURN NULL;
        END $$;

        -- A horizon moving from h0 to h1 settles the messages between them, less the reader's own,
        -- which were settled when they were sent.
        CREATE FUNCTION reader_tallies_horizon_moved() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            h0 bigint := CASE WHEN TG_OP = 'UPDATE' THEN OLD.read_up_to_sequence ELSE 0 END;
            h1 bigint := NEW.read_up_to_sequence;
            own bigint;
        BEGIN
            IF h1 = h0 THEN
                RETURN NULL;
            END IF;
            SELECT count(*) INTO own FROM messages m
            WHERE m.conversation_id = NEW.conversation_id AND m.sender_id = NEW.reader_id
              AND m.sequence > least(h0, h1) AND m.sequence <= greatest(h0, h1);
            INSERT INTO reader_tallies (reader_id, care_team_id, settled_messages)
            SELECT NEW.reader_id, c.care_team_id, (h1 - h0) - sign(h1 - h0)::bigint * own
            FROM conversations c WHERE c.id = NEW.conversation_id
            ON CONFLICT (reader_id, care_team_id) DO UPDATE
                SET settled_messages = reader_tallies.settled_messages + EXCLUDED.settled_messages;
            RETURN NULL;
        END $$;

        CREATE TRIGGER reader_tallies_message_sent AFTER INSERT ON messages
            FOR EACH ROW EXECUTE FUNCTION reader_tallies_message_sent();
        CREATE TRIGGER reader_tallies_horizon_moved AFTER INSERT OR UPDATE OF read_up_to_sequence ON read_horizons
            FOR EACH ROW EXECUTE FUNCTION reader_tallies_horizon_moved();
        """ + Rebuild;

    internal const string Down = """
        DROP TRIGGER reader_tallies_horizon_moved ON read_horizons;
        DROP TRIGGER reader_tallies_message_sent ON messages;
        DROP FUNCTION reader_tallies_horizon_moved();
        DROP FUNCTION reader_tallies_message_sent();
        """;
}
