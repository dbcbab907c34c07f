using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EndToEndTests.Events;
using CareMessaging.Testing.Telemetry;
using Npgsql;

namespace CareMessaging.EndToEndTests.Telemetry;

/// <summary>
/// A send can be followed in one trace, so that an operator who opens a slow send in the
/// dashboard sees where the time went: the gateway's request, the Conversation service's work,
/// the outbox dispatcher's publish of the message's event (under the traceparent the request
/// stored with the row), the Notification, Stats and Audit consumers and the push, one tree.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MessageTraceTests(CareMessagingStack stack)
{
    private const string Team = "primary-care";
    private const string MessageIdAttribute = "messaging.masstransit.message_id";

    [Fact]
    public async Task A_send_is_one_trace_from_the_gateway_through_the_Conversation_service_and_the_outbox_publish_to_the_three_consumers_and_the_push()
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, DemoUsers.InTeam(Team, Roles.Clinician)[0]);
        var patient = DemoUsers.PatientsOf(Team)[5];
        var conversation = await clinician.StartConversationAsync(patient.PatientId!, "Travel vaccinations", "Your appointment is booked.");
        var message = await clinician.SendAsync(conversation.Id, "Please bring your vaccination record.");

        var path = $"/api/conversations/{conversation.Id}/messages";
        var entry = Assert.Single(await Eventually.Until(
            () => Task.FromResult(stack.Telemetry.Spans().Where(s => s.Service == ResourceNames.Gateway && s.Kind == OtlpSpanKind.Server
                && s.Attributes.GetValueOrDefault("url.path") == path && s.Attributes.GetValueOrDefault("http.request.method") == "POST").ToList()),
            found => found.Count == 1));
        var eventId = await MessageSentEventIdAsync(message.Id);
        bool Complete(IReadOnlyList<OtlpSpan> spans) => ReachedConversation(spans) && Published(spans, eventId) is not null && DeliveredEverywhere(spans, eventId);

        var trace = await Eventually.Until(() => Task.FromResult(stack.Telemetry.Spans(entry.TraceId)), Complete);

        Assert.True(Complete(trace), $"The trace of the send holds only: {Describe(trace)}; the event's spans elsewhere: " +
            Describe(stack.Telemetry.Spans().Where(s => s.Attributes.GetValueOrDefault(MessageIdAttribute) == eventId)));
        AssertOneTree(trace);
        // The publish hangs from the send, not beside it; the consumers and the push hang from the publish.
        var publish = Published(trace, eventId)!;
        Assert.Contains(entry, Ancestors(publish, trace));
        foreach (var delivery in trace.Where(s => s.Kind == OtlpSpanKind.Consumer && s.Attributes.GetValueOrDefault(MessageIdAttribute) == eventId)
            .Append(trace.First(s => s.Name == "notification push")))
        {
            Assert.True(Ancestors(delivery, trace).Contains(publish), $"{delivery.Service} \"{delivery.Name}\" does not descend from the publish");
        }
    }

    private static bool ReachedConversation(IReadOnlyList<OtlpSpan> trace) =>
        trace.Any(s => s.Service == ResourceNames.Conversation && s.Kind == OtlpSpanKind.Server);

    /// <summary>The Conversation service's publish of the event (MassTransit's producer span), if it is in the trace.</summary>
    private static OtlpSpan? Published(IReadOnlyList<OtlpSpan> trace, string eventId) =>
        trace.SingleOrDefault(s => s.Service == ResourceNames.Conversation && s.Kind == OtlpSpanKind.Producer
            && s.Attributes.GetValueOrDefault(MessageIdAttribute) == eventId);

    /// <summary>Each consumer's span of this event, and the push.</summary>
    private static bool DeliveredEverywhere(IReadOnlyList<OtlpSpan> trace, string eventId) =>
        new[] { ResourceNames.Notification, ResourceNames.Stats, ResourceNames.Audit }.All(service => trace.Any(s =>
            s.Service == service && s.Kind == OtlpSpanKind.Consumer && s.Attributes.GetValueOrDefault(MessageIdAttribute) == eventId))
        && trace.Any(s => s.Service == ResourceNames.Notification && s.Name == "notification push");

    /// <summary>Every span's parent is in the trace but the root's: nothing hangs loose.</summary>
    private static void AssertOneTree(IReadOnlyList<OtlpSpan> trace)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var roots = trace.Where(s => !ids.Contains(s.ParentSpanId)).ToList();
        Assert.True(roots.Count == 1, $"Spans outside one tree: {Describe(roots)}");
    }

    /// <summary>The span's parent, its parent's parent, and so on, as far as the trace holds them.</summary>
    private static List<OtlpSpan> Ancestors(OtlpSpan span, IReadOnlyList<OtlpSpan> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var ancestors = new List<OtlpSpan>();
        while (byId.TryGetValue(span.ParentSpanId, out var parent) && !ancestors.Contains(parent))
        {
            ancestors.Add(parent);
            span = parent;
        }

        return ancestors;
    }

    /// <summary>The id the outbox published the message's event with (MassTransit's message id).</summary>
    private async Task<string> MessageSentEventIdAsync(Guid messageId)
    {
        await using var connection = new NpgsqlConnection(await stack.GetConnectionStringAsync(ResourceNames.ConversationDb));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT event_id FROM outbox_messages WHERE event_type = $1 AND payload ->> 'messageId' = $2", connection);
        command.Parameters.AddWithValue(typeof(MessageSent).FullName!);
        command.Parameters.AddWithValue(messageId.ToString());
        return ((Guid)(await command.ExecuteScalarAsync())!).ToString();
    }

    private static string Describe(IEnumerable<OtlpSpan> spans) =>
        string.Join("; ", spans.Select(s => $"{s.Service} {s.Kind} \"{s.Name}\""));
}
