using CareMessaging.Contracts.Conversations;
using CareMessaging.Stats.Data;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Stats.ReadModel;

/// <summary>
/// Applies events to the read model. Each event is applied once (its id goes into
/// processed_events in the same transaction as the change), and every change is an upsert that
/// commutes with the others: a conversation row comes from whichever of its events arrives first,
/// messages are keyed by sequence, horizons only move forward and a status only gives way to a
/// later one. Events may therefore arrive in any order, a message before its conversation's start
/// included, and the figures still converge.
/// </summary>
public sealed class StatsStore(StatsDbContext db, TimeProvider clock)
{
    public Task<bool> ApplyAsync(ConversationStarted started, CancellationToken cancellationToken) =>
        ApplyOnceAsync(started.EventId, async () =>
        {
            await UpsertConversationAsync(started.ConversationId, started.PatientId, started.CareTeamId, cancellationToken);
            await db.Database.ExecuteSqlAsync(
                $"UPDATE conversations SET started_at = {started.OccurredAt} WHERE conversation_id = {started.ConversationId}",
                cancellationToken);
        }, cancellationToken);

    public Task<bool> ApplyAsync(MessageSent sent, CancellationToken cancellationToken) =>
        ApplyOnceAsync(sent.EventId, async () =>
        {
            await UpsertConversationAsync(sent.ConversationId, sent.PatientId, sent.CareTeamId, cancellationToken);
            await InsertMessageAsync(sent.ConversationId, sent.Sequence, sent.MessageId, sent.ActorId, sent.SenderKind, sent.OccurredAt, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Applies many messages in one transaction: the events not seen before, then one upsert of
    /// their conversations and one insert of their messages. Rows go in key order, so batches applied
    /// at once by several replicas take their locks in the same order and never deadlock. Returns
    /// how many events were new.
    /// </summary>
    public Task<int> ApplyAsync(IReadOnlyCollection<MessageSent> batch, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(() => ApplyBatchInTransactionAsync(batch, cancellationToken));

    public Task<bool> ApplyAsync(ConversationRead read, CancellationToken cancellationToken) =>
        ApplyOnceAsync(read.EventId, async () =>
        {
            await UpsertConversationAsync(read.ConversationId, read.PatientId, read.CareTeamId, cancellationToken);
            await RaiseHorizonAsync(read.ConversationId, read.ActorId, read.ReadUpToSequence, cancellationToken);
        }, cancellationToken);

    public Task<bool> ApplyAsync(ConversationStatusChanged changed, CancellationToken cancellationToken) =>
        ApplyOnceAsync(changed.EventId, async () =>
        {
            await UpsertConversationAsync(changed.ConversationId, changed.PatientId, changed.CareTeamId, cancellationToken);
            await SetStatusAsync(changed.ConversationId, changed.Status, changed.OccurredAt, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Merges one conversation of the Conversation service's export, read at <paramref name="exportedAt"/>,
    /// with the same upserts the events use.
    /// </summary>
    public Task MergeAsync(ReadModelConversation conversation, DateTimeOffset exportedAt, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(() => MergeOnceAsync(conversation, exportedAt, cancellationToken));

    private async Task MergeOnceAsync(ReadModelConversation conversation, DateTimeOffset exportedAt, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await UpsertConversationAsync(conversation.ConversationId, conversation.PatientId, conversation.CareTeamId, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"UPDATE conversations SET started_at = coalesce(started_at, {conversation.CreatedAt}) WHERE conversation_id = {conversation.ConversationId}",
            cancellationToken);
        await SetStatusAsync(conversation.ConversationId, conversation.Status, exportedAt, cancellationToken);
        foreach (var message in conversation.Messages)
        {
            await InsertMessageAsync(conversation.ConversationId, message.Sequence, message.MessageId, message.SenderId, message.SenderKind, message.SentAt, cancellationToken);
        }

        foreach (var (userId, readUpTo) in conversation.ReadHorizons)
        {
            await RaiseHorizonAsync(conversation.ConversationId, userId, readUpTo, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // The connection retries transient faults by running the whole transaction again.
    private Task<bool> ApplyOnceAsync(Guid eventId, Func<Task> apply, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(() => ApplyInTransactionAsync(eventId, apply, cancellationToken));

    private async Task<bool> ApplyInTransactionAsync(Guid eventId, Func<Task> apply, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var first = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO processed_events (event_id, processed_at) VALUES ({eventId}, {clock.GetUtcNow()}) ON CONFLICT (event_id) DO NOTHING",
            cancellationToken) == 1;
        if (first)
        {
            await apply();
        }

        await transaction.CommitAsync(cancellationToken);
        return first;
    }

    private async Task<int> ApplyBatchInTransactionAsync(IReadOnlyCollection<MessageSent> batch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var eventIds = batch.Select(sent => sent.EventId).Distinct().Order().ToArray();
        var fresh = (await db.Database.SqlQuery<Guid>(
            $"""
            INSERT INTO processed_events (event_id, processed_at) SELECT id, {clock.GetUtcNow()} FROM unnest({eventIds}) AS e(id)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id AS "Value"
            """).ToListAsync(cancellationToken)).ToHashSet();
        var messages = batch.Where(sent => fresh.Remove(sent.EventId)).ToList();
        if (messages.Count > 0)
        {
            var conversations = messages.DistinctBy(sent => sent.ConversationId).OrderBy(sent => sent.ConversationId).ToList();
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO conversations (conversation_id, patient_id, care_team_id, status)
                SELECT c.id, c.patient, c.team, {nameof(ConversationStatus.Open)}
                FROM unnest({conversations.Select(c => c.ConversationId).ToArray()}, {conversations.Select(c => c.PatientId).ToArray()},
                            {conversations.Select(c => c.CareTeamId).ToArray()}) AS c(id, patient, team)
                ON CONFLICT (conversation_id) DO NOTHING
                """,
                cancellationToken);

            var rows = messages.OrderBy(sent => sent.ConversationId).ThenBy(sent => sent.Sequence).ToList();
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO messages (conversation_id, sequence, message_id, sender_id, sender_kind, sent_at)
                SELECT * FROM unnest({rows.Select(m => m.ConversationId).ToArray()}, {rows.Select(m => m.Sequence).ToArray()},
                                     {rows.Select(m => m.MessageId).ToArray()}, {rows.Select(m => m.ActorId).ToArray()},
                                     {rows.Select(m => m.SenderKind.ToString()).ToArray()}, {rows.Select(m => m.OccurredAt).ToArray()})
                ON CONFLICT (conversation_id, sequence) DO NOTHING
                """,
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return messages.Count;
    }

    private Task UpsertConversationAsync(Guid conversationId, string patientId, string careTeamId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO conversations (conversation_id, patient_id, care_team_id, status)
            VALUES ({conversationId}, {patientId}, {careTeamId}, {nameof(ConversationStatus.Open)})
            ON CONFLICT (conversation_id) DO NOTHING
            """,
            cancellationToken);

    private Task SetStatusAsync(Guid conversationId, ConversationStatus status, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            UPDATE conversations SET status = {status.ToString()}, status_changed_at = {at}
            WHERE conversation_id = {conversationId} AND (status_changed_at IS NULL OR status_changed_at < {at})
            """,
            cancellationToken);

    private Task InsertMessageAsync(Guid conversationId, long sequence, Guid messageId, string senderId, SenderKind kind, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO messages (conversation_id, sequence, message_id, sender_id, sender_kind, sent_at)
            VALUES ({conversationId}, {sequence}, {messageId}, {senderId}, {kind.ToString()}, {sentAt})
            ON CONFLICT (conversation_id, sequence) DO NOTHING
            """,
            cancellationToken);

    private Task RaiseHorizonAsync(Guid conversationId, string userId, long readUpTo, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO read_horizons (conversation_id, user_id, read_up_to) VALUES ({conversationId}, {userId}, {readUpTo})
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET read_up_to = greatest(read_horizons.read_up_to, excluded.read_up_to)
            """,
            cancellationToken);
}
