using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
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
public sealed class ConversationCommands(ConversationDbContext db, MessageWriter messages, OutboxWriter outbox, TimeProvider clock)
{
    public async Task<Outcome<Guid>> StartAsync(Viewer viewer, string patientId, string topic, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        if (patient is null || !viewer.CanSee(patient))
        {
            return new Outcome<Guid>.NotFound($"There is no patient {patientId} that you can start a conversation with.");
        }

        if (await RepeatedStartAsync(viewer, patientId, clientMessageId, cancellationToken) is { } repeated)
        {
            return repeated;
        }

        var now = MessageWriter.Now(clock);
        var conversation = new Conversation
        {
            Id = Guid.CreateVersion7(now),
            PatientId = patient.PatientId,
            CareTeamId = patient.CareTeamId,
            Topic = topic,
            CreatedBy = viewer.UserId,
            CreatedByKind = viewer.SenderKind,
            CreatedAt = now,
            LastActivityAt = now,
        };
        conversation.RefreshSearchText(patient);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Conversations.Add(conversation);
        outbox.Enqueue(new ConversationStarted
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            ActorId = viewer.UserId,
            ActorRole = viewer.Role,
            ConversationId = conversation.Id,
            PatientId = patient.PatientId,
            CareTeamId = patient.CareTeamId,
            Audience = await Audiences.ForAsync(db, patient.CareTeamId, patient.PortalUserId, cancellationToken),
        });
        await messages.AppendAsync(conversation, patient, viewer, body, clientMessageId, cancellationToken);

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
            return await RepeatedStartAsync(viewer, patientId, clientMessageId, cancellationToken)
                ?? throw new InvalidOperationException("A unique index rejected a new conversation, but no earlier one was found.", exception);
        }

        outbox.Notify();
        return new Outcome<Guid>.Done(conversation.Id, Created: true);
    }

    public async Task<Outcome<MessageView>> SendAsync(Viewer viewer, Guid conversationId, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TrySendAsync(viewer, conversationId, body, clientMessageId, cancellationToken);
            }
            catch (DbUpdateException exception) when (IsUniqueViolation(exception) && attempt < 3)
            {
                // The same key raced in from another request; the next attempt finds its message.
                db.ChangeTracker.Clear();
            }
        }
    }

    public Task<Outcome<ConversationStatus>> ResolveAsync(Viewer viewer, Guid conversationId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(viewer, conversationId, ConversationStatus.Resolved, cancellationToken);

    public Task<Outcome<ConversationStatus>> ArchiveAsync(Viewer viewer, Guid conversationId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(viewer, conversationId, ConversationStatus.Archived, cancellationToken);

    public Task<Outcome<ConversationStatus>> ReopenAsync(Viewer viewer, Guid conversationId, CancellationToken cancellationToken) =>
        ChangeStatusAsync(viewer, conversationId, ConversationStatus.Open, cancellationToken);

    private async Task<Outcome<MessageView>> TrySendAsync(Viewer viewer, Guid conversationId, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await LockVisibleAsync(viewer, conversationId, cancellationToken);
        if (conversation is null)
        {
            return new Outcome<MessageView>.NotFound("There is no such conversation.");
        }

        if (await messages.FindBySenderKeyAsync(viewer.UserId, clientMessageId, cancellationToken) is { } earlier)
        {
            return earlier.ConversationId == conversationId
                ? new Outcome<MessageView>.Done(messages.View(earlier, viewer.UserId))
                : new Outcome<MessageView>.Conflict("This clientMessageId was already used for a message in another conversation. Use a new key for a new message.");
        }

        if (conversation.Status == ConversationStatus.Archived)
        {
            return new Outcome<MessageView>.Conflict("The conversation is archived and read-only. Reopen it to send a message.");
        }

        var patient = await db.Patients.AsNoTracking().SingleAsync(p => p.PatientId == conversation.PatientId, cancellationToken);
        var message = await messages.AppendAsync(conversation, patient, viewer, body, clientMessageId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return new Outcome<MessageView>.Done(messages.View(message, viewer.UserId), Created: true);
    }

    private async Task<Outcome<ConversationStatus>> ChangeStatusAsync(Viewer viewer, Guid conversationId, ConversationStatus target, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversation = await LockVisibleAsync(viewer, conversationId, cancellationToken);
        if (conversation is null)
        {
            return new Outcome<ConversationStatus>.NotFound("There is no such conversation.");
        }

        if (!viewer.IsStaff)
        {
            return new Outcome<ConversationStatus>.Forbidden("Only the care team can resolve, archive or reopen a conversation.");
        }

        var previous = conversation.Status;
        if (previous == target)
        {
            return new Outcome<ConversationStatus>.Done(previous);
        }

        if (target == ConversationStatus.Resolved && previous == ConversationStatus.Archived)
        {
            return new Outcome<ConversationStatus>.Conflict("The conversation is archived and read-only. Reopen it before resolving it.");
        }

        var now = MessageWriter.Now(clock);
        conversation.Status = target;
        outbox.Enqueue(new ConversationStatusChanged
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            ActorId = viewer.UserId,
            ActorRole = viewer.Role,
            ConversationId = conversation.Id,
            PatientId = conversation.PatientId,
            CareTeamId = conversation.CareTeamId,
            PreviousStatus = previous,
            Status = target,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return new Outcome<ConversationStatus>.Done(target, Created: true);
    }

    /// <summary>Locks the conversation's row for this transaction, if the caller can see it.</summary>
    private async Task<Conversation?> LockVisibleAsync(Viewer viewer, Guid conversationId, CancellationToken cancellationToken)
    {
        var locked = await db.Conversations
            .FromSql($"SELECT * FROM conversations WHERE id = {conversationId} FOR UPDATE")
            .ToListAsync(cancellationToken);
        return locked is [var conversation] && viewer.CanSee(conversation) ? conversation : null;
    }

    private async Task<Outcome<Guid>?> RepeatedStartAsync(Viewer viewer, string patientId, string clientMessageId, CancellationToken cancellationToken)
    {
        if (await messages.FindBySenderKeyAsync(viewer.UserId, clientMessageId, cancellationToken) is not { } earlier)
        {
            return null;
        }

        var started = await db.Conversations.AsNoTracking()
            .AnyAsync(c => c.Id == earlier.ConversationId && c.PatientId == patientId && earlier.Sequence == 1, cancellationToken);
        return started
            ? new Outcome<Guid>.Done(earlier.ConversationId)
            : new Outcome<Guid>.Conflict("This clientMessageId was already used for another message. Use a new key for a new conversation.");
    }

    private static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
