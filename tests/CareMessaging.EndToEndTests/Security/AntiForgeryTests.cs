using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>No address is exempt from the anti-forgery check, whatever its path contains (ADR 0023).</summary>
[Collection(StackCollection.Name)]
public sealed class AntiForgeryTests(CareMessagingStack stack)
{
    [Theory]
    [InlineData("DELETE", "/api/admin/users/openapi/sessions")]
    [InlineData("POST", "/api/conversations/openapi/v1.json")]
    [InlineData("POST", "/api/notifications/openapi/../rebuild")]
    [InlineData("POST", "/identity/api/admin/users/openapi/enrolment-code")]
    public async Task A_state_changing_request_whose_path_mentions_openapi_still_needs_the_token(string method, string path)
    {
        using var admin = GatewayBrowser.For(stack);
        await admin.SignInAsync(DemoUsers.Admin.UserName, DemoUsers.Password);
        await admin.GetSessionAsync();
        using var raw = new HttpClient(new HttpClientHandler { CookieContainer = admin.Cookies }) { BaseAddress = admin.Client.BaseAddress };

        using var response = await raw.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("X-CSRF-TOKEN", out _));
    }
}
