using System.Diagnostics;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.Telemetry;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CareMessaging.Conversation.Conversations;

/// <summary>
/// Changes to conversations: starting one with its first message, sending, and the
/// resolve / archive / reopen workflow. Each change locks the conversation's row
/// (<c>SELECT … FOR UPDATE</c>) for its transaction, so two senders racing on one conversation
/// are served one after the other and get consecutive sequence numbers; the unique index on
/// (conversation, sequence) backs this up. Events go to the outbox in the same transaction.
/// </summary>
public sealed class ConversationCommands(ConversationDbContext db, MessageWriter messages, OutboxWriter outbox, ConversationTelemetry metrics, TimeProvider clock)
{
    public const string NoSuchConversation = "There is no such conversation.";

    public async Task<Outcome<Guid>> StartAsync(CareMessagingCaller caller, string patientId, string topic, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Outcome<Guid>? outcome = null;
        try
        {
            return outcome = await TryStartAsync(caller, patientId, topic, body, clientMessageId, cancellationToken);
        }
        finally
        {
            metrics.SendEnded(started, outcome);
        }
    }

    private async Task<Outcome<Guid>> TryStartAsync(CareMessagingCaller caller, string patientId, string topic, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        if (patient is null || !caller.CanSee(patient))
        {
            return new Outcome<Guid>.NotFound($"There is no patient {patientId} that you can start a conversation with.");
        }

        if (await RepeatedStartAsync(caller, patientId, clientMessageId, cancellationToken) is { } repeated)
        {
            return repeated;
        }

        var now = clock.StoredUtcNow();
        var conversation = new Conversation
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.PatientId,
            CareTeamId = patient.CareTeamId,
            Topic = topic,
            CreatedBy = caller.UserId,
            CreatedByKind = caller.SenderKind,
            CreatedAt = now,
            LastActivityAt = now,
        };
        conversation.RefreshSearchText(patient);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Conversations.Add(conversation);
        var header = EventHeader.For(caller, conversation.Keys, now);
        outbox.Enqueue(new ConversationStarted(header)
        {
            Audience = await Audiences.ForAsync(db, patient.CareTeamId, patient.PortalUserId, cancellationToken),
        });
        await messages.AppendAsync(conversation, patient, caller, body, clientMessageId, cancellationToken);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IsUniqueViolation(exception))
        {
            // The same request arrived twice at once and the other one won: answer as it did.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return await RepeatedStartAsync(caller, patientId, clientMessageId, cancellationToken)
                ?? throw new InvalidOperationException("A unique index rejected a new conversation, but no earlier one was found.", exception);
        }

        metrics.MessageSent(caller.SenderKind, conversation.CareTeamId);
        return new Outcome<Guid>.Done(conversation.Id, Effect.Created);
    }

    public async Task<Outcome<MessageView>> SendAsync(CareMessagingCaller caller, Guid conversationId, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Outcome<MessageView>? outcome = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return outcome = await TrySendAsync(caller, conversationId, body, clientMessageId, lookForRepeat: attempt > 1, cancellationToken);
                }
                catch (DbUpdateException exception) when (IsUniqueViolation(exception) && attempt < 3)
                {
                    // The key was used before (a retried request) or raced in from another request; the
                    // next attempt finds its message.
                    db.ChangeTracker.Clear();
                }
            }
        }
        finally
        {
            metrics.SendEnded(started, outcome);
        }
    }

    /// <summary>Resolves, archives or reopens a conversation (staff only); asking for the status it has changes nothing.</summary>
    public async Task<Outcome<ConversationStatus>> ChangeStatusAsync(CareMessagingCaller caller, Guid conversationId, ConversationStatus target, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await LockVisibleAsync(caller, conversationId, cancellationToken);
        if (conversation is null)
        {
            return new Outcome<ConversationStatus>.NotFound(NoSuchConversation);
        }

        if (!caller.IsStaff)
        {
            return new Outcome<ConversationStatus>.Forbidden("Only the care team can resolve, archive or reopen a conversation.");
        }

        var previous = conversation.Status;
        if (previous == target)
        {
            return new Outcome<ConversationStatus>.Done(previous, Effect.Unchanged);
        }

        if (target == ConversationStatus.Resolved && previous == ConversationStatus.Archived)
        {
            return new Outcome<ConversationStatus>.Conflict("The conversation is archived and read-only. Reopen it before resolving it.");
        }

        conversation.Status = target;
        var header = EventHeader.For(caller, conversation.Keys, clock);
        outbox.Enqueue(new ConversationStatusChanged(header)
        {
            PreviousStatus = previous,
            Status = target,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<ConversationStatus>.Done(target, Effect.Changed);
    }

    /// <summary>
    /// A first attempt does not look for an earlier message with the key: the unique index on
    /// (sender, key) refuses a repeat, and the retry then finds it. A new message, the usual case,
    /// so costs one round trip less. An archived conversation is refused only after the look,
    /// so that a repeat of a message sent before archiving is still answered with that message.
    /// </summary>
    private async Task<Outcome<MessageView>> TrySendAsync(CareMessagingCaller caller, Guid conversationId, string body, string clientMessageId, bool lookForRepeat, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await LockVisibleAsync(caller, conversationId, cancellationToken);
        if (conversation is null)
        {
            return new Outcome<MessageView>.NotFound(NoSuchConversation);
        }

        if ((lookForRepeat || conversation.Status == ConversationStatus.Archived)
            && await messages.FindBySenderKeyAsync(caller.UserId, clientMessageId, cancellationToken) is { } earlier)
        {
            return earlier.ConversationId == conversationId
                ? new Outcome<MessageView>.Done(messages.View(earlier, caller.UserId), Effect.Repeated)
                : new Outcome<MessageView>.Conflict("This clientMessageId was already used for a message in another conversation. Use a new key for a new message.");
        }

        if (conversation.Status == ConversationStatus.Archived)
        {
            return new Outcome<MessageView>.Conflict("The conversation is archived and read-only. Reopen it to send a message.");
        }

        var patient = await db.Patients.AsNoTracking().SingleAsync(p => p.PatientId == conversation.PatientId, cancellationToken);
        var message = await messages.AppendAsync(conversation, patient, caller, body, clientMessageId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.MessageSent(caller.SenderKind, conversation.CareTeamId);
        return new Outcome<MessageView>.Done(messages.View(message, caller.UserId), Effect.Created);
    }

    /// <summary>Locks the conversation's row for this transaction, if the caller can see it.</summary>
    private async Task<Conversation?> LockVisibleAsync(CareMessagingCaller caller, Guid conversationId, CancellationToken cancellationToken)
    {
        var locked = await db.Conversations
            .FromSql($"SELECT * FROM conversations WHERE id = {conversationId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return locked is [var conversation] && caller.CanSee(conversation) ? conversation : null;
    }

    private async Task<Outcome<Guid>?> RepeatedStartAsync(CareMessagingCaller caller, string patientId, string clientMessageId, CancellationToken cancellationToken)
    {
        if (await messages.FindBySenderKeyAsync(caller.UserId, clientMessageId, cancellationToken) is not { } earlier)
        {
            return null;
        }

        var started = await db.Conversations.AsNoTracking()
            .AnyAsync(c => c.Id == earlier.ConversationId && c.PatientId == patientId && earlier.Sequence == 1, cancellationToken);
        return started
            ? new Outcome<Guid>.Done(earlier.ConversationId, Effect.Repeated)
            : new Outcome<Guid>.Conflict("This clientMessageId was already used for another message. Use a new key for a new conversation.");
    }

    private static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
