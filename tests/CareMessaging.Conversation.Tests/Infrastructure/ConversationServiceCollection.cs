namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>Every service test shares one infrastructure stack and one running Conversation service.</summary>
[CollectionDefinition(Name)]
public sealed class ConversationServiceCollection : ICollectionFixture<ConversationServiceFixture>
{
    public const string Name = "conversation-service";
}
