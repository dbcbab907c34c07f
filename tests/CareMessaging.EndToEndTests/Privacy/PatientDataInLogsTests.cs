using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareMessaging.Contracts;
using CareMessaging.EndToEndTests.Events;
using CareMessaging.Testing;

namespace CareMessaging.EndToEndTests.Privacy;

/// <summary>
/// The standard "no patient data in logs or events beyond ids", checked on the whole stack: a
/// patient's conversation goes through every user-visible flow with text no other test uses, and
/// then no resource's log (services, gateway, web front end, PostgreSQL, Redis, RabbitMQ) and no
/// audit record holds the patient's name, date of birth, the topic, a message body or a search
/// term. Ids (patient ID, user ids, conversation ids) and the patient's portal user name may appear.
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class PatientDataInLogsTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Patient_name_birth_date_topic_bodies_and_search_terms_appear_in_no_log_and_no_audit_record()
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
        var web = new WebForms(staff.Client);
        await web.PostAsync("/inbox", "/conversations/new?handler=Patients", new() { ["q"] = patient.FamilyName }, HttpStatusCode.OK);
        using (var refusedForm = await web.PostAsync("/conversations/new", "/conversations/new", NewConversation(patient, secrets.TooLongTopic, secrets.FirstBody), HttpStatusCode.OK))
        {
            Assert.Contains("A topic is 3 to 120 characters.", await refusedForm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var created = await web.PostAsync("/conversations/new", "/conversations/new", NewConversation(patient, secrets.Topic, secrets.FirstBody), HttpStatusCode.OK);
        var conversationId = Guid.Parse(created.RequestMessage!.RequestUri!.Segments[^1]);

        // The same refusal through the API, a staff reply, searches by name and topic, the thread and the profile.
        using (var refused = await staff.Client.PostAsJsonAsync("/api/conversations",
            new { patientId = patient.PatientId, topic = secrets.TooLongTopic, body = secrets.FirstBody, clientMessageId = Guid.NewGuid().ToString() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        // Requests the service cannot read or accept: a body of the wrong type next to the topic, a body too long.
        using (var unreadable = new StringContent(
            $$$"""{"patientId":"{{{patient.PatientId}}}","topic":"{{{secrets.Topic}}}","body":{"text":"{{{secrets.FirstBody}}}"}}""",
            System.Text.Encoding.UTF8, "application/json"))
        {
            await ExpectAsync(staff.Client.PostAsync("/api/conversations", unreadable), HttpStatusCode.BadRequest);
        }

        await ExpectAsync(staff.Client.PostAsJsonAsync($"/api/conversations/{conversationId}/messages",
            new { body = secrets.StaffReply + new string('x', 5000), clientMessageId = Guid.NewGuid().ToString() }), HttpStatusCode.BadRequest);
        await ExpectAsync(staff.Client.PostAsJsonAsync($"/api/conversations/{conversationId}/messages",
            new { body = secrets.StaffReply, clientMessageId = Guid.NewGuid().ToString() }), HttpStatusCode.Created, HttpStatusCode.OK);
        foreach (var term in secrets.SearchTerms)
        {
            await web.PostAsync("/inbox", "/inbox", new() { ["q"] = term, ["filter"] = "all" }, HttpStatusCode.OK);
            await web.PostAsync("/inbox", "/conversations/list", new() { ["q"] = term, ["filter"] = "all" }, HttpStatusCode.OK);
            await ExpectAsync(staff.Client.GetAsync($"/api/conversations?q={Uri.EscapeDataString(term)}"), HttpStatusCode.OK);
            await ExpectAsync(staff.Client.GetAsync($"/api/patients?q={Uri.EscapeDataString(term)}"), HttpStatusCode.OK);
        }

        await ExpectAsync(staff.Client.GetAsync($"/inbox/{conversationId}"), HttpStatusCode.OK);
        await ExpectAsync(staff.Client.GetAsync($"/api/conversations/{conversationId}"), HttpStatusCode.OK);
        await ExpectAsync(staff.Client.GetAsync($"/patients/{patient.PatientId}"), HttpStatusCode.OK);
        await ExpectAsync(staff.Client.GetAsync($"/api/patients/{patient.PatientId}"), HttpStatusCode.OK);

        // The patient: a wrong password, a name typed as the user name, then a reply from the portal.
        using (var mistyped = GatewayBrowser.For(stack))
        {
            Assert.False((await mistyped.TrySignInAsync(patient.User.UserName, secrets.WrongPassword)).SignedIn);
            Assert.False((await mistyped.TrySignInAsync($"{patient.GivenName} {patient.FamilyName}", secrets.WrongPassword)).SignedIn);
        }

        using var portal = GatewayBrowser.For(stack);
        await portal.SignInAsync(patient.User.UserName, DemoUsers.Password);
        await new WebForms(portal.Client).PostAsync($"/portal/{conversationId}", $"/portal/{conversationId}?handler=Send",
            new() { ["Body"] = secrets.PatientReply, ["ClientMessageId"] = Guid.NewGuid().ToString() }, HttpStatusCode.OK);

        // A colleague of another team is told the conversation and the patient do not exist.
        using var outsider = GatewayBrowser.For(stack);
        await outsider.SignInAsync(otherTeam.UserName, DemoUsers.Password);
        await ExpectAsync(outsider.Client.GetAsync($"/api/conversations/{conversationId}"), HttpStatusCode.NotFound);
        await ExpectAsync(outsider.Client.GetAsync($"/api/patients/{patient.PatientId}"), HttpStatusCode.NotFound);
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

        public IEnumerable<string> FoundIn(string text) =>
            _patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.What);

        private static Regex WholeWord(string word) => new($@"\b{Regex.Escape(word)}\b", RegexOptions.IgnoreCase);

        private static IEnumerable<string> BirthDateForms(DateOnly date) =>
        [
            date.ToString("yyyy-MM-dd"), date.ToString("dd/MM/yyyy"), date.ToString("MM/dd/yyyy"),
            date.ToString("M/d/yyyy"), date.ToString("d MMMM yyyy"), date.ToString("MMMM d, yyyy"),
        ];
    }

    /// <summary>Posts Razor Pages forms as a browser would: the anti-forgery token taken from the page the form is on.</summary>
    private sealed partial class WebForms(HttpClient client)
    {
        public async Task<HttpResponseMessage> PostAsync(string pagePath, string action, Dictionary<string, string> fields, HttpStatusCode expected)
        {
            var page = await client.GetStringAsync(pagePath);
            var token = TokenPattern().Match(page) is { Success: true } match
                ? WebUtility.HtmlDecode(match.Groups["token"].Value)
                : throw new InvalidOperationException($"{pagePath} has no anti-forgery token.");
            fields["__RequestVerificationToken"] = token;
            using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
            var response = await client.SendAsync(request);
            if (response.StatusCode != expected)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.Fail($"POST {action} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
            }

            return response;
        }

        [GeneratedRegex("""name="__RequestVerificationToken"[^>]*value="(?<token>[^"]+)"|value="(?<token>[^"]+)"[^>]*name="__RequestVerificationToken""")]
        private static partial Regex TokenPattern();
    }
}
