namespace CareMessaging.EndToEndTests;

/// <summary>Every end-to-end test shares one running stack: starting it is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<CareMessagingStack>
{
    public const string Name = "stack";
}
