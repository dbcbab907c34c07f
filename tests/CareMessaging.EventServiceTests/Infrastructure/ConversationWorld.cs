using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// The test's own model of what the Conversation service would hold: every operation returns the
/// events the service would publish, and the expected figures are computed here with the
/// definitions of docs/decisions/0004-dashboard-figures.md, independently of the services under test.
/// </summary>
public sealed class ConversationWorld
{
    private readonly List<WorldConversation> _conversations = [];
    private DateTimeOffset _clock = DateTimeOffset.UtcNow.AddHours(-1);

    public IReadOnlyList<WorldConversation> Conversations => _conversations;

    /// <summary>Moves the world's clock (message times) forward.</summary>
    public DateTimeOffset Tick(TimeSpan? step = null) => _clock += step ?? TimeSpan.FromSeconds(7);

    public (WorldConversation Conversation, IReadOnlyList<IIntegrationEvent> Events) Start(
        TestUser actor, string patientId, string careTeamId, IReadOnlyList<string> audience, TimeSpan? after = null)
    {
        var conversation = new WorldConversation(Guid.NewGuid(), patientId, careTeamId, [.. audience.Distinct()], Tick(after));
        _conversations.Add(conversation);
        var started = new ConversationStarted(new ConversationEventHeader(Guid.NewGuid(), conversation.CreatedAt, actor.Id, actor.Role, conversation.Id, patientId, careTeamId))
        {
            Audience = conversation.Audience,
        };
        return (conversation, [started, Send(actor, conversation)]);
    }

    public MessageSent Send(TestUser sender, WorldConversation conversation, TimeSpan? after = null)
    {
        var message = new WorldMessage(Guid.NewGuid(), conversation.Messages.Count + 1, sender.Id,
            sender.Role == Roles.Patient ? SenderKind.Patient : SenderKind.Staff, conversation.Messages.Count == 0 ? conversation.CreatedAt : Tick(after));
        conversation.Messages.Add(message);
        return new MessageSent(new ConversationEventHeader(Guid.NewGuid(), message.SentAt, sender.Id, sender.Role, conversation.Id, conversation.PatientId, conversation.CareTeamId))
        {
            SenderKind = message.Kind,
            MessageId = message.Id,
            Sequence = message.Sequence,
            MessageCount = conversation.Messages.Count,
            Audience = conversation.Audience,
        };
    }

    public ConversationRead Read(TestUser reader, WorldConversation conversation)
    {
        var upTo = conversation.Messages.Count;
        conversation.Horizons[reader.Id] = Math.Max(conversation.Horizons.GetValueOrDefault(reader.Id), upTo);
        return new ConversationRead(new ConversationEventHeader(Guid.NewGuid(), Tick(), reader.Id, reader.Role, conversation.Id, conversation.PatientId, conversation.CareTeamId))
        {
            ReadUpToSequence = upTo,
        };
    }

    public ConversationStatusChanged SetStatus(TestUser actor, WorldConversation conversation, ConversationStatus status)
    {
        var previous = conversation.Status;
        conversation.Status = status;
        return new ConversationStatusChanged(new ConversationEventHeader(Guid.NewGuid(), Tick(), actor.Id, actor.Role, conversation.Id, conversation.PatientId, conversation.CareTeamId))
        {
            PreviousStatus = previous,
            Status = status,
        };
    }

    /// <summary>A reader's unread messages in one conversation: after their horizon and not sent by them.</summary>
    public static long Unread(WorldConversation conversation, string userId) =>
        conversation.Messages.Count(m => m.Sequence > conversation.Horizons.GetValueOrDefault(userId) && m.SenderId != userId);

    /// <summary>The four figures for <paramref name="caller"/>, by ADR 0004.</summary>
    public DashboardCounts ExpectedFigures(TestUser caller)
    {
        var visible = _conversations.Where(c => caller.PatientId is { } patientId
            ? caller.Role == Roles.Patient && c.PatientId == patientId
            : caller.CareTeams.Contains(c.CareTeamId)).ToList();
        return new DashboardCounts
        {
            TotalConversations = visible.Count,
            UnreadMessages = visible.Sum(c => Unread(c, caller.Id)),
            UniquePatients = visible.Where(c => c.Status != ConversationStatus.Archived).Select(c => c.PatientId).Distinct().LongCount(),
            TotalMessages = visible.Sum(c => (long)c.Messages.Count),
        };
    }

    /// <summary>The Conversation service's read-model export of this world.</summary>
    public IReadOnlyList<ReadModelConversation> Export() => _conversations.Select(c => new ReadModelConversation
    {
        ConversationId = c.Id,
        PatientId = c.PatientId,
        CareTeamId = c.CareTeamId,
        Status = c.Status,
        CreatedAt = c.CreatedAt,
        Audience = c.Audience,
        Messages = c.Messages.Select(m => new ReadModelMessage
        {
            MessageId = m.Id,
            Sequence = m.Sequence,
            SenderId = m.SenderId,
            SenderKind = m.Kind,
            SentAt = m.SentAt,
        }).ToList(),
        ReadHorizons = new Dictionary<string, long>(c.Horizons),
    }).ToList();
}

public sealed class WorldConversation(Guid id, string patientId, string careTeamId, IReadOnlyList<string> audience, DateTimeOffset createdAt)
{
    public Guid Id { get; } = id;

    public string PatientId { get; } = patientId;

    public string CareTeamId { get; } = careTeamId;

    public IReadOnlyList<string> Audience { get; } = audience;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public ConversationStatus Status { get; set; } = ConversationStatus.Open;

    public List<WorldMessage> Messages { get; } = [];

    public Dictionary<string, long> Horizons { get; } = [];
}

public sealed record WorldMessage(Guid Id, long Sequence, string SenderId, SenderKind Kind, DateTimeOffset SentAt);
