using CareMessaging.Contracts;
using System.Net;
using CareMessaging.EndToEndTests.Events;
using CareMessaging.Testing.Telemetry;

namespace CareMessaging.EndToEndTests.Telemetry;

/// <summary>
/// The product's own instruments, as an OTLP backend receives them from the whole stack: each
/// user action moves the figures an operator's dashboard is built on, with the attributes
/// docs/operations/metrics.md names. The names are spelled out here on purpose: dashboards and
/// alerts depend on them. The primary-care team and its sixth and ninth patients are used here
/// and nowhere else in this collection.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ProductMetricsTests(CareMessagingStack stack)
{
    private const string Team = "primary-care";

    private OtlpReceiver Telemetry => stack.Telemetry;

    [Fact]
    public async Task A_sent_message_is_counted_timed_pushed_and_its_lag_measured_at_every_consumer_queue()
    {
        var before = Snapshot();
        await using var clinician = await SignedInUser.SignInAsync(stack, DemoUsers.InTeam(Team, Roles.Clinician)[0]);
        var patient = DemoUsers.PatientsOf(Team)[5];

        var started = await clinician.StartConversationAsync(patient.PatientId!, "Repeat prescription", "Your repeat prescription is ready.");
        await clinician.SendAsync(started.Id, "It can be collected from Monday.");

        await ExpectAsync("caremessaging.messages.sent", "conversation", Sum,
            before, 2, ("caremessaging.sender.kind", "staff"), ("caremessaging.care_team.id", Team));
        await ExpectAsync("caremessaging.message.send.duration", "conversation", Count, before, 2, ("caremessaging.outcome", "created"));
        foreach (var service in new[] { "notification", "stats", "audit" })
        {
            await ExpectAsync("caremessaging.consumer.lag", service, Count,
                before, 2, ("messaging.destination.name", $"{service}-message-sent"), ("caremessaging.event.type", "MessageSent"));
        }

        await ExpectAsync("caremessaging.push.latency", "notification", Count, before, 2, ("caremessaging.event.type", "MessageSent"));
        await ExpectAsync("caremessaging.audit.appends", "audit", Sum,
            before, 2, ("caremessaging.audit.action", "message.sent"), ("caremessaging.outcome", "appended"));

        var backlog = await PointAsync("caremessaging.outbox.backlog", "conversation");
        var oldest = await PointAsync("caremessaging.outbox.oldest_unsent.age", "conversation");
        Assert.True(backlog.Value >= 0 && oldest.Value >= 0, $"backlog {backlog.Value}, oldest {oldest.Value} s");
        Assert.Equal(("{event}", "s"), (backlog.Unit, oldest.Unit));
    }

    [Fact]
    public async Task Both_read_models_report_ready_with_the_duration_of_their_last_rebuild()
    {
        foreach (var (service, readModel) in new[] { ("notification", "unread_counters"), ("stats", "stats") })
        {
            var ready = await PointAsync("caremessaging.read_model.ready", service, p => p.Value == 1, [("caremessaging.read_model", readModel)]);
            Assert.Equal(1, ready.Value);
            var last = await PointAsync("caremessaging.read_model.rebuild.last_duration", service, attributes: [("caremessaging.read_model", readModel)]);
            Assert.True(last.Value > 0, $"{service}: the last rebuild took {last.Value} s");
            var rebuilds = await PointAsync("caremessaging.read_model.rebuild.duration", service,
                attributes: [("caremessaging.read_model", readModel), ("caremessaging.outcome", "complete")]);
            Assert.True(rebuilds.Count >= 1);
        }
    }

    [Fact]
    public async Task A_chain_verification_reports_its_result_and_time()
    {
        var before = Snapshot();
        using var officer = GatewayBrowser.For(stack);
        await officer.SignInAsync(DemoUsers.ComplianceOfficer.UserName, DemoUsers.Password);
        using var verified = await officer.Client.GetAsync("/api/audit/verify");
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        await ExpectAsync("caremessaging.audit.chain.verification.duration", "audit", Count, before, 1, ("caremessaging.outcome", "intact"));
        Assert.Equal(1, (await PointAsync("caremessaging.audit.chain.valid", "audit")).Value);
        var age = await PointAsync("caremessaging.audit.chain.verification.age", "audit");
        Assert.InRange(age.Value, 0, TestTimeouts.Request.TotalSeconds);
    }

    [Fact]
    public async Task Sign_ins_are_counted_by_outcome_and_a_wait_imposed_on_guessing_is_counted_once()
    {
        var before = Snapshot();
        var patient = DemoUsers.PatientsOf(Team)[8];
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(DemoUsers.PatientsOf(Team)[5].UserName, DemoUsers.Password);
        // Five wrong passwords are free, the sixth makes this name wait at this address, and the
        // seventh attempt is refused without a check (the sign-in throttle, ADR 0026).
        using var mistyped = GatewayBrowser.For(stack);
        for (var attempt = 0; attempt < 7; attempt++)
        {
            Assert.False((await mistyped.TrySignInAsync(patient.UserName, $"not-the-password-{attempt}")).SignedIn);
        }

        // A patient signs in with a password alone; staff sign-ins elsewhere in the run are a stream of their own.
        await ExpectAsync("caremessaging.sign_ins", "identity", Sum, before, 1, ("caremessaging.outcome", "succeeded"), ("caremessaging.sign_in.multi_factor", "false"));
        await ExpectAsync("caremessaging.sign_ins", "identity", Sum, before, 6, ("caremessaging.outcome", "bad_credentials"));
        await ExpectAsync("caremessaging.sign_ins", "identity", Sum, before, 1, ("caremessaging.outcome", "throttled"));
        await ExpectAsync("caremessaging.sign_in.throttles", "identity", Sum, before, 1);
    }

    private static double Sum(OtlpMetricPoint point) => point.Value;

    private static double Count(OtlpMetricPoint point) => point.Count;

    /// <summary>The latest points of every metric now, to measure what a test adds.</summary>
    private Dictionary<(string, string, string), OtlpMetricPoint> Snapshot() =>
        Telemetry.MetricPoints().ToDictionary(Key);

    private static (string, string, string) Key(OtlpMetricPoint point) =>
        (point.Service, point.Name, string.Join(',', point.Attributes.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}")));

    /// <summary>
    /// Waits until <paramref name="service"/>'s stream of <paramref name="metric"/> with
    /// <paramref name="attributes"/> has grown by <paramref name="added"/> (a sum's value, a
    /// histogram's count) since <paramref name="before"/>.
    /// </summary>
    private async Task ExpectAsync(
        string metric, string service, Func<OtlpMetricPoint, double> measure,
        Dictionary<(string, string, string), OtlpMetricPoint> before, double added, params (string Key, string Value)[] attributes)
    {
        double Growth(OtlpMetricPoint point) => measure(point) - (before.TryGetValue(Key(point), out var earlier) ? measure(earlier) : 0);

        var point = await PointAsync(metric, service, p => Growth(p) >= added, attributes);
        Assert.True(Growth(point) >= added, $"{service} {metric} {{{string.Join(", ", attributes)}}} grew by {Growth(point)}, expected {added}");
    }

    private async Task<OtlpMetricPoint> PointAsync(
        string metric, string service, Func<OtlpMetricPoint, bool>? done = null, (string Key, string Value)[]? attributes = null)
    {
        attributes ??= [];
        bool Matches(OtlpMetricPoint point) =>
            point.Service == service && attributes.All(a => point.Attributes.GetValueOrDefault(a.Key) == a.Value);

        var points = await Eventually.Until(
            () => Task.FromResult(Telemetry.MetricPoints(metric).Where(Matches).ToList()),
            found => found.Count == 1 && (done is null || done(found[0])));
        Assert.True(points.Count == 1, $"{service} reported {points.Count} streams of {metric} with {{{string.Join(", ", attributes)}}}: " +
            string.Join("; ", Telemetry.MetricPoints(metric).Select(p => $"{p.Service} {{{string.Join(", ", p.Attributes)}}}")));
        return points[0];
    }
}
