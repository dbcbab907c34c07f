namespace CareMessaging.EndToEndTests.ScaleOut;

/// <summary>The tests of the stack with two replicas of every service share one start of it.</summary>
[CollectionDefinition(Name)]
public sealed class ScaledOutCollection : ICollectionFixture<ScaledOutStack>
{
    public const string Name = "scaled-out";
}
