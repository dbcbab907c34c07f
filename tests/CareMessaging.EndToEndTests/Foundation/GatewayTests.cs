using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CareMessaging.EndToEndTests.Foundation;

[Collection(StackCollection.Name)]
public sealed class GatewayTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Front_page_is_served_by_the_web_front_end()
    {
        using var client = stack.CreateGatewayClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1 id=\"welcome-title\">CareMessaging</h1>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Static_assets_are_served_through_the_gateway()
    {
        using var client = stack.CreateGatewayClient();

        using var response = await client.GetAsync("/css/site.css");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/conversations/openapi/v1.json", "CareMessaging Conversation API")]
    [InlineData("/api/stats/openapi/v1.json", "CareMessaging Stats API")]
    [InlineData("/api/audit/openapi/v1.json", "CareMessaging Audit API")]
    [InlineData("/api/notifications/openapi/v1.json", "CareMessaging Notification API")]
    [InlineData("/identity/openapi/v1.json", "CareMessaging Identity API")]
    public async Task Each_service_answers_through_the_gateway(string path, string expectedTitle)
    {
        using var client = stack.CreateGatewayClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync(path));

        Assert.Equal(expectedTitle, document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/api/conversations")]
    [InlineData("/api/patients")]
    [InlineData("/api/stats")]
    [InlineData("/api/audit")]
    [InlineData("/api/notifications")]
    public async Task Service_routes_reach_a_service_that_refuses_anonymous_callers(string path)
    {
        using var client = stack.CreateGatewayClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/no-such-api")]
    [InlineData("/api/no-such-api/deeper/path")]
    public async Task Unknown_api_routes_are_404_problem_details(string path)
    {
        using var client = stack.CreateGatewayClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/no-such-api")]
    [InlineData("/api/conversations/openapi/v1.json")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = stack.CreateGatewayClient();

        using var response = await client.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Server"), "The gateway should not announce the server software.");
    }

    [Fact]
    public async Task Request_bodies_over_the_limit_are_refused()
    {
        using var client = stack.CreateGatewayClient();
        using var body = new ByteArrayContent(new byte[1024 * 1024]);

        using var response = await client.PostAsync("/api/conversations", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
