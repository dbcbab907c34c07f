using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// Text that no keyboard produces (NUL and the other control characters) is refused with a 400 that
/// names the field, in every service, before it reaches a database or a log.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ControlCharacterTests(CareMessagingStack stack)
{
    [Theory]
    [InlineData("/api/patients?q=a%00b", "q")]
    [InlineData("/api/conversations?q=%00", "q")]
    [InlineData("/api/conversations?filter=all&q=x%07y", "q")]
    public async Task A_control_character_in_a_search_is_a_400_naming_the_field(string path, string field)
    {
        using var staff = await GatewaySession.SignInAsync(stack, DemoUsers.InTeam("cardiology", Roles.Nurse)[0]);

        using var response = await staff.GetAsync(path);

        await AssertNamesFieldAsync(response, field);
    }

    [Theory]
    [InlineData("patientId")]
    [InlineData("topic")]
    [InlineData("clientMessageId")]
    public async Task A_nul_in_a_new_conversations_text_is_a_400_naming_the_field(string field)
    {
        var patient = DemoUsers.Patients[20];
        using var client = await GatewaySession.SignInAsync(stack, patient);
        var request = new Dictionary<string, string>
        {
            ["patientId"] = patient.PatientId!,
            ["topic"] = "Question about my medication",
            ["body"] = "Hello",
            ["clientMessageId"] = Guid.NewGuid().ToString(),
        };
        request[field] = request[field][..3] + "\0" + request[field][3..];

        using var response = await client.PostAsJsonAsync("/api/conversations", request);

        await AssertNamesFieldAsync(response, field);
    }

    [Fact]
    public async Task A_message_body_keeps_its_line_breaks_and_tabs_but_not_a_nul()
    {
        var patient = DemoUsers.Patients[21];
        using var client = await GatewaySession.SignInAsync(stack, patient);
        using var started = await client.PostAsJsonAsync("/api/conversations", new
        {
            patientId = patient.PatientId,
            topic = "Line breaks",
            body = "First line\r\nSecond line\twith a tab",
            clientMessageId = Guid.NewGuid().ToString(),
        });
        var conversationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var nul = await client.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { body = "a\0b", clientMessageId = Guid.NewGuid().ToString() });

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        await AssertNamesFieldAsync(nul, "body");
    }

    [Theory]
    [InlineData("/api/audit/records?patientId=%00", "patientId")]
    [InlineData("/api/audit/records?userId=a%00", "userId")]
    [InlineData("/api/audit/export?from=2026-01-01&to=2026-12-31&format=csv&patientId=P%00", "patientId")]
    public async Task A_nul_in_an_audit_query_is_a_400_naming_the_field(string path, string field)
    {
        using var compliance = await GatewaySession.SignInAsync(stack, DemoUsers.ComplianceOfficer);

        using var response = await compliance.GetAsync(path);

        await AssertNamesFieldAsync(response, field);
    }

    [Fact]
    public async Task A_nul_in_the_authorization_request_is_a_400_naming_the_field()
    {
        using var client = stack.CreateGatewayClient();

        using var response = await client.GetAsync("/identity/connect/authorize?client_id=gate%00way&response_type=code&scope=openid");

        await AssertNamesFieldAsync(response, "client_id");
    }

    [Fact]
    public async Task A_nul_in_a_token_request_is_a_400_naming_the_field()
    {
        using var client = stack.CreateGatewayClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_\0credentials", ["client_id"] = "stats" });

        using var response = await client.PostAsync("/identity/connect/token", form);

        await AssertNamesFieldAsync(response, "grant_type");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_body_is_a_400_not_a_500()
    {
        var patient = DemoUsers.Patients[22];
        using var client = await GatewaySession.SignInAsync(stack, patient);
        var json = Encoding.UTF8.GetBytes($$"""{"patientId":"{{patient.PatientId}}","topic":"Bad bytes ","body":"x","clientMessageId":"{{Guid.NewGuid()}}"}""").ToList();
        json.InsertRange(json.IndexOf((byte)' ') + 1, new byte[] { 0xC3, 0x28, 0xFF });
        using var content = new ByteArrayContent([.. json]);
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync("/api/conversations", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"The 400 does not name {field}: {body}");
    }
}
