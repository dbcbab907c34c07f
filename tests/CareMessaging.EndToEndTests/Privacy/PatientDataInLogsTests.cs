using System.Net;
using System.Text.RegularExpressions;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Testing.Telemetry;

namespace CareMessaging.EndToEndTests.Privacy;

/// <summary>
/// The standard "no patient data in logs or events beyond ids", checked on the whole stack: a
/// patient's conversation goes through every user-visible flow with text no other test uses, and
/// then no resource's log (services, gateway, web front end, PostgreSQL, Redis, RabbitMQ) and no
/// audit record holds the patient's name, date of birth, the topic, a message body or a search
/// term. Ids (patient ID, user ids, conversation ids) and the patient's portal user name may appear
/// there. What the projects export over OTLP (span attributes, metric attributes, log records),
/// which may leave for a backend run by others, holds none of these and not the patient ID either
/// (docs/decisions/0058-the-products-own-telemetry.md).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PatientDataInLogsTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Patient_name_birth_date_topic_bodies_and_search_terms_appear_in_no_log_no_audit_record_and_with_the_patient_id_in_no_exported_telemetry()
    {
        var patient = PatientNamedLikeNoStaffMember("cardiology");
        var nurse = DemoUsers.InTeam("cardiology", Roles.Nurse)[0];
        var otherTeam = DemoUsers.Staff.First(s => s.Role != Roles.Patient && !s.CareTeams.Contains("cardiology"));
        var marker = $"qx{Guid.NewGuid():N}"[..14];
        var secrets = new Secrets(patient, marker);
        var startedAt = DateTimeOffset.UtcNow;

        // Staff: the New Message picker, a refused topic, then the conversation itself, all through the web app.
        using var staff = GatewayBrowser.For(stack);
        await staff.SignInAsync(nurse.UserName, DemoUsers.Password);
        var conversations = new ConversationsClient(staff.Client);
        (await SubmitAsync(staff, "/inbox", "/conversations/new?handler=Patients", new() { ["q"] = patient.FamilyName })).Dispose();
        using (var refusedForm = await SubmitAsync(staff, "/conversations/new", "/conversations/new", NewConversation(patient, secrets.TooLongTopic, secrets.FirstBody)))
        {
            Assert.Contains("A topic is 3 to 120 characters.", await refusedForm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var created = await SubmitAsync(staff, "/conversations/new", "/conversations/new", NewConversation(patient, secrets.Topic, secrets.FirstBody));
        var conversationId = Guid.Parse(created.RequestMessage!.RequestUri!.Segments[^1]);

        // The same refusal through the API, a staff reply, searches by name and topic, the thread and the profile.
        var refused = await conversations.StartAsync(new StartConversationRequest(patient.PatientId, secrets.TooLongTopic, secrets.FirstBody, Guid.NewGuid().ToString()));
        Assert.Equal((int)HttpStatusCode.BadRequest, refused.Problem?.Status);

        // Requests the service cannot read or accept: a body of the wrong type next to the topic, a body too long.
        using (var unreadable = new StringContent(
            $$$"""{"patientId":"{{{patient.PatientId}}}","topic":"{{{secrets.Topic}}}","body":{"text":"{{{secrets.FirstBody}}}"}}""",
            System.Text.Encoding.UTF8, "application/json"))
        {
            await ExpectAsync(staff.Client.PostAsync("/api/conversations", unreadable), HttpStatusCode.BadRequest);
        }

        var tooLong = await conversations.SendAsync(conversationId, new SendMessageRequest(secrets.StaffReply + new string('x', 5000), Guid.NewGuid().ToString()));
        Assert.Equal((int)HttpStatusCode.BadRequest, tooLong.Problem?.Status);
        await conversations.SendAsync(conversationId, new SendMessageRequest(secrets.StaffReply, Guid.NewGuid().ToString())).OrThrowAsync();
        foreach (var term in secrets.SearchTerms)
        {
            (await SubmitAsync(staff, "/inbox", "/inbox", new() { ["q"] = term, ["filter"] = "all" })).Dispose();
            (await SubmitAsync(staff, "/inbox", "/conversations/list", new() { ["q"] = term, ["filter"] = "all" })).Dispose();
            await conversations.ListAsync(search: term).OrThrowAsync();
            await conversations.PatientsAsync(term).OrThrowAsync();
        }

        await ExpectAsync(staff.Client.GetAsync($"/inbox/{conversationId}"), HttpStatusCode.OK);
        await conversations.GetAsync(conversationId).OrThrowAsync();
        await ExpectAsync(staff.Client.GetAsync($"/patients/{patient.PatientId}"), HttpStatusCode.OK);
        await conversations.PatientAsync(patient.PatientId).OrThrowAsync();

        // The patient: a wrong password, a name typed as the user name, then a reply from the portal.
        using (var mistyped = GatewayBrowser.For(stack))
        {
            Assert.False((await mistyped.TrySignInAsync(patient.User.UserName, secrets.WrongPassword)).SignedIn);
            Assert.False((await mistyped.TrySignInAsync($"{patient.GivenName} {patient.FamilyName}", secrets.WrongPassword)).SignedIn);
        }

        using var portal = GatewayBrowser.For(stack);
        await portal.SignInAsync(patient.User.UserName, DemoUsers.Password);
        (await SubmitAsync(portal, $"/portal/{conversationId}", $"/portal/{conversationId}?handler=Send",
            new() { ["Body"] = secrets.PatientReply, ["ClientMessageId"] = Guid.NewGuid().ToString() })).Dispose();

        // A colleague of another team is told the conversation and the patient do not exist.
        using var outsider = GatewayBrowser.For(stack);
        await outsider.SignInAsync(otherTeam.UserName, DemoUsers.Password);
        var outsiders = new ConversationsClient(outsider.Client);
        Assert.Equal((int)HttpStatusCode.NotFound, (await outsiders.GetAsync(conversationId)).Problem?.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, (await outsiders.PatientAsync(patient.PatientId)).Problem?.Status);
        await ExpectAsync(outsider.Client.GetAsync($"/inbox/{conversationId}"), HttpStatusCode.NotFound);

        // Once the audit trail holds the patient's reply, every consumer has seen the events.
        using var officer = GatewayBrowser.For(stack);
        await officer.SignInAsync(DemoUsers.ComplianceOfficer.UserName, DemoUsers.Password);
        await Eventually.Until(
            () => officer.Client.GetStringAsync($"/api/audit/records?patientId={patient.PatientId}&pageSize=200"),
            text => text.Contains(patient.User.UserId, StringComparison.Ordinal) && text.Contains("message.sent", StringComparison.Ordinal));
        var range = $"from={Uri.EscapeDataString(startedAt.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";
        var trail = await officer.Client.GetStringAsync($"/api/audit/export?{range}&format=ndjson");
        Assert.Contains(conversationId.ToString(), trail, StringComparison.Ordinal);
        Assert.Empty(secrets.FoundIn(trail));

        var logs = await stack.GetResourceLogsAsync();
        Assert.Contains(logs, resource => resource.Key == ResourceNames.Conversation && resource.Value.Count > 0);
        Assert.Contains(logs, resource => resource.Key == ResourceNames.Postgres && resource.Value.Count > 0);
        // The logs read cover this test's requests, not only the start: the web app logs its calls by id.
        Assert.Contains(logs[ResourceNames.Web], line => line.Contains(conversationId.ToString(), StringComparison.Ordinal));
        var leaks = logs
            .SelectMany(resource => resource.Value.Select(line => (Resource: resource.Key, Line: line)))
            .SelectMany(entry => secrets.FoundIn(entry.Line).Select(what => $"{entry.Resource}: {what} in \"{entry.Line}\""))
            .ToList();
        Assert.True(leaks.Count == 0, $"Patient data in logs:{Environment.NewLine}{string.Join(Environment.NewLine, leaks.Take(40))}");

        var exported = await ExportedSinceAsync(startedAt, conversationId);
        var exportLeaks = exported
            .SelectMany(entry => secrets.FoundInTelemetry(entry.Text).Select(what => $"{entry.Service} {entry.Signal}: {what} in \"{entry.Text}\""))
            .Distinct()
            .ToList();
        Assert.True(exportLeaks.Count == 0, $"Patient data in exported telemetry:{Environment.NewLine}{string.Join(Environment.NewLine, exportLeaks.Take(40))}");
    }

    /// <summary>
    /// Every text the projects exported over OTLP, once this test's requests have reached the
    /// receiver: the gateway's span of the audit export, the last request, and the web app's log
    /// records naming the conversation (it logs its calls by id), and every project's metrics
    /// exported since the test began.
    /// </summary>
    private async Task<IReadOnlyList<OtlpText>> ExportedSinceAsync(DateTimeOffset startedAt, Guid conversationId)
    {
        var telemetry = stack.Telemetry;
        bool Arrived() =>
            telemetry.Spans().Any(s => s.Service == ResourceNames.Gateway && s.Attributes.GetValueOrDefault("url.path") == "/api/audit/export")
            && telemetry.Texts().Any(t => t is { Signal: OtlpReceiver.Logs, Service: ResourceNames.Web } && t.Text.Contains(conversationId.ToString(), StringComparison.Ordinal))
            && ResourceNames.Projects.All(project => telemetry.LastExport(OtlpReceiver.Metrics, project) > startedAt);
        Assert.True(await Eventually.Until(() => Task.FromResult(Arrived()), arrived => arrived), "This test's telemetry did not reach the OTLP receiver.");

        foreach (var signal in new[] { OtlpReceiver.Traces, OtlpReceiver.Metrics, OtlpReceiver.Logs })
        {
            Assert.Superset(ResourceNames.Projects.ToHashSet(), telemetry.Senders(signal).ToHashSet());
        }

        Assert.Equal(0, telemetry.UndecodableRequests);
        var texts = telemetry.Texts().ToList();
        // The scan reads what this test caused: its conversation's requests, by id.
        Assert.Contains(texts, t => t.Signal == OtlpReceiver.Traces && t.Text.Contains(conversationId.ToString(), StringComparison.Ordinal));
        return texts;
    }

    /// <summary>
    /// The care team's patient whose names occur least in everyday words: the last one seeded whose
    /// names no staff member shares, leaving out the last four, whom the authenticator tests enrol
    /// (this test signs in with a password only).
    /// </summary>
    private static DemoPatient PatientNamedLikeNoStaffMember(string careTeam)
    {
        var seed = DemoSeed.Current;
        var staffNames = string.Join(' ', seed.Staff.Select(s => $"{s.UserName} {s.DisplayName}"));
        return seed.Patients.Take(seed.Patients.Count - 4).Last(p => p.CareTeam == careTeam && p.HasPortalAccount
            && !staffNames.Contains(p.GivenName, StringComparison.OrdinalIgnoreCase)
            && !staffNames.Contains(p.FamilyName, StringComparison.OrdinalIgnoreCase));
    }

    private static Dictionary<string, string> NewConversation(DemoPatient patient, string topic, string body) => new()
    {
        ["Form.PatientId"] = patient.PatientId,
        ["Form.Topic"] = topic,
        ["Form.Body"] = body,
        ["Form.ClientMessageId"] = Guid.NewGuid().ToString(),
    };

    /// <summary>Posts a page's form as a browser would, and fails unless the page answers 200.</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(GatewayBrowser browser, string pagePath, string action, Dictionary<string, string> fields)
    {
        var response = await browser.SubmitFormAsync(pagePath, action, fields);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"POST {action} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
        }

        return response;
    }

    private static async Task ExpectAsync(Task<HttpResponseMessage> sending, params HttpStatusCode[] expected)
    {
        using var response = await sending;
        Assert.True(expected.Contains(response.StatusCode),
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}, expected {string.Join(" or ", expected)}");
    }

    /// <summary>What must never be logged, and how to recognise each in a line.</summary>
    private sealed class Secrets(DemoPatient patient, string marker)
    {
        public string Topic { get; } = $"Ankle swelling after new tablets {marker}t";

        public string TooLongTopic { get; } = $"Breathless on stairs {marker}l " + new string('x', 120);

        public string FirstBody { get; } = $"Since Tuesday my ankles have swollen in the evening {marker}a";

        public string StaffReply { get; } = $"Please weigh yourself every morning this week {marker}b";

        public string PatientReply { get; } = $"Seventy eight kilograms today, slightly less {marker}c";

        public string WrongPassword { get; } = $"Not-the-password-{marker}";

        /// <summary>A family name, a topic word and the marker alone, as staff would type them.</summary>
        public IReadOnlyList<string> SearchTerms { get; } = [patient.FamilyName, "swelling", marker];

        private readonly (string What, Regex Pattern)[] _patterns =
        [
            ("given name", WholeWord(patient.GivenName)),
            ("family name", WholeWord(patient.FamilyName)),
            ("date of birth", new Regex(string.Join('|', BirthDateForms(patient.DateOfBirth).Select(Regex.Escape)))),
            ("topic, body or search term", new Regex(Regex.Escape(marker), RegexOptions.IgnoreCase)),
            ("topic", new Regex(Regex.Escape("Ankle swelling after new tablets"), RegexOptions.IgnoreCase)),
            ("search term", WholeWord("swelling")),
            ("body", new Regex("ankles have swollen|weigh yourself every morning|Seventy eight kilograms", RegexOptions.IgnoreCase)),
        ];

        // Any spelling of the patient ID as a whole token: the portal user name is one too.
        private readonly Regex _patientId = new($@"(?<![\w-]){Regex.Escape(patient.PatientId)}(?![\w-])", RegexOptions.IgnoreCase);

        public IEnumerable<string> FoundIn(string text) =>
            _patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.What);

        /// <summary>What must not be exported over OTLP: everything above, and the patient ID.</summary>
        public IEnumerable<string> FoundInTelemetry(string text) =>
            _patientId.IsMatch(text) ? FoundIn(text).Append("patient ID") : FoundIn(text);

        private static Regex WholeWord(string word) => new($@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase);

        private static IEnumerable<string> BirthDateForms(DateOnly date) =>
        [
            date.ToString("yyyy-MM-dd"), date.ToString("dd/MM/yyyy"), date.ToString("MM/dd/yyyy"),
            date.ToString("M/d/yyyy"), date.ToString("d MMMM yyyy"), date.ToString("MMMM d, yyyy"),
        ];
    }
}
