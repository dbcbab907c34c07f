using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Messages;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>Calls of the Conversation API as a front end makes them.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<ConversationThread> StartAsync(this HttpClient client, string patientId, string topic = "Blood pressure readings", string body = "My readings were high this week.", string? clientMessageId = null)
    {
        var response = await client.PostAsJsonAsync("/api/conversations", new { patientId, topic, body, clientMessageId = clientMessageId ?? NewKey() });
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<ConversationThread>(Json))!;
    }

    public static async Task<MessageView> SendAsync(this HttpClient client, Guid conversationId, string body = "Thank you, noted.", string? clientMessageId = null)
    {
        var response = await client.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { body, clientMessageId = clientMessageId ?? NewKey() });
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<MessageView>(Json))!;
    }

    public static async Task<ConversationListPage> ListAsync(this HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/conversations{query}");
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ConversationListPage>(Json))!;
    }

    public static async Task<ConversationThread> ThreadAsync(this HttpClient client, Guid conversationId)
    {
        var response = await client.GetAsync($"/api/conversations/{conversationId}");
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ConversationThread>(Json))!;
    }

    public static Task<HttpResponseMessage> MarkReadAsync(this HttpClient client, Guid conversationId, Guid upToMessageId) =>
        client.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new { upToMessageId });

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        await ExpectAsync(response, expected);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>Asserts a ProblemDetails response with this status and returns its JSON.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        await ExpectAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The fields a 400 ProblemDetails names in its errors.</summary>
    public static async Task<IReadOnlyList<string>> ValidationErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        return [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    public static string NewKey() => Guid.NewGuid().ToString();

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {(int)expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
