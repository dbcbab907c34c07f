using System.Net;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>Answers that carry patient data are never kept by a browser's or a proxy's cache.</summary>
[Collection(StackCollection.Name)]
public sealed class CachingTests(CareMessagingStack stack)
{
    [Theory]
    [InlineData("/api/patients")]
    [InlineData("/api/conversations")]
    [InlineData("/api/conversations/summary")]
    [InlineData("/api/stats")]
    [InlineData("/api/notifications/unread")]
    [InlineData("/api/session")]
    [InlineData("/api/sessions")]
    [InlineData("/identity/api/account")]
    [InlineData("/api/no-such-api")]
    public async Task Api_answers_tell_every_cache_not_to_store_them(string path)
    {
        using var staff = await GatewaySession.SignInAsync(stack, DemoUsers.InTeam("oncology", Roles.Nurse)[0]);

        using var response = await staff.GetAsync(path);

        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{path} answered {(int)response.StatusCode} with Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task Audit_answers_tell_every_cache_not_to_store_them()
    {
        using var compliance = await GatewaySession.SignInAsync(stack, DemoUsers.ComplianceOfficer);

        using var records = await compliance.GetAsync("/api/audit/records?limit=5");
        using var export = await compliance.GetAsync("/api/audit/export?from=2026-01-01&to=2026-01-02&format=ndjson");

        Assert.Equal(HttpStatusCode.OK, records.StatusCode);
        Assert.True(records.Headers.CacheControl?.NoStore);
        Assert.True(export.Headers.CacheControl?.NoStore);
    }
}
