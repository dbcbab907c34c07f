using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>The audit search pages by cursor: page numbers at the limits of an int mean nothing to it and never overflow.</summary>
[Collection(StackCollection.Name)]
public sealed class AuditPagingTests(CareMessagingStack stack)
{
    [Theory]
    [InlineData("/api/audit/records?page=2147483647&pageSize=500")]
    [InlineData("/api/audit/records?page=5000000")]
    [InlineData("/api/audit/records?limit=500")]
    public async Task Audit_search_with_page_numbers_at_their_limits_answers_a_page(string path)
    {
        using var compliance = await GatewaySession.SignInAsync(stack, DemoUsers.ComplianceOfficer);

        using var response = await compliance.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("items", out _));
    }

    [Theory]
    [InlineData("/api/audit/records?limit=2147483648", "limit")]
    [InlineData("/api/audit/records?limit=-1", "limit")]
    [InlineData("/api/audit/records?cursor=AAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("/api/audit/records?cursor=%27%20OR%201%3D1--", "cursor")]
    public async Task Audit_search_with_a_limit_or_cursor_out_of_range_is_a_400_naming_it(string path, string field)
    {
        using var compliance = await GatewaySession.SignInAsync(stack, DemoUsers.ComplianceOfficer);

        using var response = await compliance.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
