using System.Text.Json;
using Microsoft.Playwright;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>
/// Calls the public API with the browser context's own session (its cookies), to compare what a
/// page shows with what the services say for the same user.
/// </summary>
public static class Api
{
    public static async Task<JsonElement> GetJsonAsync(IBrowserContext context, string url)
    {
        var response = await context.APIRequest.GetAsync(url);
        Assert.True(response.Ok, $"GET {url} answered {response.Status}: {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value;
    }

    /// <summary>Sends a message through the gateway as the context's user, with the gateway's anti-forgery token.</summary>
    public static async Task SendMessageAsync(IBrowserContext context, Guid conversationId, string body) =>
        await PostJsonAsync(context, $"/api/conversations/{conversationId}/messages", new { body, clientMessageId = Guid.NewGuid().ToString() });

    /// <summary>Starts a conversation through the gateway as the context's user; answers its id.</summary>
    public static async Task<Guid> StartConversationAsync(IBrowserContext context, string patientId, string topic, string body)
    {
        var started = await PostJsonAsync(context, "/api/conversations", new { patientId, topic, body, clientMessageId = Guid.NewGuid().ToString() });
        return started.GetProperty("id").GetGuid();
    }

    /// <summary>Archives a conversation through the gateway as the context's user (a colleague's move, as far as a page is concerned).</summary>
    public static async Task ArchiveAsync(IBrowserContext context, Guid conversationId) =>
        await PostJsonAsync(context, $"/api/conversations/{conversationId}/archive", new { });

    private static async Task<JsonElement> PostJsonAsync(IBrowserContext context, string url, object body)
    {
        var session = await GetJsonAsync(context, "/api/session");
        var response = await context.APIRequest.PostAsync(url, new APIRequestContextOptions
        {
            DataObject = body,
            Headers = new Dictionary<string, string> { ["X-CSRF-TOKEN"] = session.GetProperty("csrfToken").GetString()! },
        });
        Assert.True(response.Ok, $"POST {url} answered {response.Status}: {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value;
    }
}
