using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EndToEndTests.Events;
using CareMessaging.Testing.Telemetry;
using Npgsql;

namespace CareMessaging.EndToEndTests.Telemetry;

/// <summary>
/// A send can be followed in the traces, so that an operator who opens a slow send in the
/// dashboard sees where the time went: the gateway's request and the Conversation service's work
/// are one tree, and the message's event, from its publish by the outbox dispatcher, is one tree
/// with the Notification, Stats and Audit consumers and the push. The outbox does not yet carry
/// the request's trace context, so the two trees are two traces; the assertions hold as well
/// once they are one.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MessageTraceTests(CareMessagingStack stack)
{
    private const string Team = "primary-care";
    private const string MessageIdAttribute = "messaging.masstransit.message_id";

    [Fact]
    public async Task A_send_is_one_tree_from_the_gateway_into_the_Conversation_service_and_its_event_one_tree_from_the_publish_to_the_three_consumers_and_the_push()
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
        var request = await Eventually.Until(() => Task.FromResult(stack.Telemetry.Spans(entry.TraceId)), ReachedConversation);
        Assert.True(ReachedConversation(request), $"The trace of the send holds only: {Describe(request)}");
        AssertOneTree(request);

        var eventId = await MessageSentEventIdAsync(message.Id);
        var publishes = await Eventually.Until(
            () => Task.FromResult(stack.Telemetry.Spans().Where(s => s.Service == ResourceNames.Conversation && s.Kind == OtlpSpanKind.Producer
                && s.Attributes.GetValueOrDefault(MessageIdAttribute) == eventId).ToList()),
            found => found.Count == 1);
        Assert.True(publishes.Count == 1, $"The Conversation service published event {eventId} in {publishes.Count} spans; its publishes: " +
            string.Join("; ", stack.Telemetry.Spans().Where(s => s.Service == ResourceNames.Conversation && s.Kind == OtlpSpanKind.Producer).TakeLast(5)
                .Select(s => $"\"{s.Name}\" {{{string.Join(", ", s.Attributes)}}}")));
        var publish = publishes[0];
        bool Delivered(IReadOnlyList<OtlpSpan> trace) => DeliveredEverywhere(trace, eventId);
        var delivery = await Eventually.Until(() => Task.FromResult(stack.Telemetry.Spans(publish.TraceId)), Delivered);
        Assert.True(Delivered(delivery), $"The trace of the event's publish holds only: {Describe(delivery)}");
        AssertOneTree(delivery);
    }

    private static bool ReachedConversation(IReadOnlyList<OtlpSpan> trace) =>
        trace.Any(s => s.Service == ResourceNames.Conversation && s.Kind == OtlpSpanKind.Server);

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
