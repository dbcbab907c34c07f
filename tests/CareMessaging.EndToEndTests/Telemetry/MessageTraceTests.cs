using CareMessaging.Contracts;
using CareMessaging.EndToEndTests.Events;
using CareMessaging.Testing.Telemetry;

namespace CareMessaging.EndToEndTests.Telemetry;

/// <summary>
/// One message is one trace: from the gateway through the Conversation service, its outbox and the
/// broker to the Notification, Stats and Audit consumers and the push, so that an operator who opens
/// a slow send in the dashboard sees where the time went. The outbox carries the trace context of
/// the request that wrote each event and publishes with it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MessageTraceTests(CareMessagingStack stack)
{
    private const string Team = "primary-care";

    [Fact]
    public async Task A_message_is_one_trace_from_the_gateway_through_the_outbox_and_the_broker_to_the_three_consumers_and_the_push()
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, DemoUsers.InTeam(Team, Roles.Clinician)[0]);
        var patient = DemoUsers.PatientsOf(Team)[5];
        var conversation = await clinician.StartConversationAsync(patient.PatientId!, "Travel vaccinations", "Your appointment is booked.");
        await clinician.SendAsync(conversation.Id, "Please bring your vaccination record.");

        var path = $"/api/conversations/{conversation.Id}/messages";
        var entry = Assert.Single(await Eventually.Until(
            () => Task.FromResult(stack.Telemetry.Spans().Where(s => s.Service == "gateway" && s.Kind == OtlpSpanKind.Server
                && s.Attributes.GetValueOrDefault("url.path") == path && s.Attributes.GetValueOrDefault("http.request.method") == "POST").ToList()),
            found => found.Count == 1));

        var trace = await Eventually.Until(() => Task.FromResult(stack.Telemetry.Spans(entry.TraceId)), Complete);
        Assert.True(Complete(trace), $"The trace of the send holds only: {Describe(trace)}");

        // One tree: every span's parent is in the trace, but the gateway's (its caller's, if any, is the test's).
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        var orphans = trace.Where(s => !ids.Contains(s.ParentSpanId)).ToList();
        Assert.True(orphans.Count == 1 && orphans[0] == entry, $"Spans outside the tree: {Describe(orphans)}");
    }

    /// <summary>The Conversation service's request and publish, each consumer's span and the push.</summary>
    private static bool Complete(IReadOnlyList<OtlpSpan> trace) =>
        trace.Any(s => s.Service == "conversation" && s.Kind == OtlpSpanKind.Server)
        && trace.Any(s => s.Service == "conversation" && s.Kind == OtlpSpanKind.Producer)
        && new[] { "notification", "stats", "audit" }.All(service => trace.Any(s => s.Service == service && s.Kind == OtlpSpanKind.Consumer))
        && trace.Any(s => s.Service == "notification" && s.Name == "notification push");

    private static string Describe(IEnumerable<OtlpSpan> spans) =>
        string.Join("; ", spans.Select(s => $"{s.Service} {s.Kind} \"{s.Name}\""));
}
