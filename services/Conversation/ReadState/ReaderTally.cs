namespace CareMessaging.Conversation.ReadState;

/// <summary>
/// How many messages of one care team's conversations are settled for one reader: read (at or
/// before their horizon) or sent by the reader after it. The database keeps it in the transaction
/// of every horizon move and every message (Data/Migrations/ReaderTallySql.cs, ADR 0017), so a
/// staff member's unread total is their teams' messages less their tallies.
/// </summary>
public sealed class ReaderTally
{
    public required string ReaderId { get; init; }

    public required string CareTeamId { get; init; }

    public required long SettledMessages { get; init; }
}
