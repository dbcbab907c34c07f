using System.Text.Json;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Conversations;

[Collection(ConversationServiceCollection.Name)]
public sealed class OpenApiTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task The_OpenAPI_document_is_public_and_describes_conversations_and_patients()
    {
        using var anonymous = fixture.Client(token: null);

        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/api/conversations/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/conversations", paths);
        Assert.Contains("/api/conversations/{id}/messages", paths);
        Assert.Contains("/api/conversations/summary", paths);
        Assert.Contains("/api/patients", paths);
        Assert.Contains("/api/patients/{patientId}", paths);
    }
}
