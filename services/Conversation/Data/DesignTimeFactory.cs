using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CareMessaging.Conversation.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ConversationDbContext>
{
    public ConversationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConversationDbContext>()
            .UseNpgsql("Host=localhost;Database=conversationdb")
            .UseSnakeCaseNamingConvention()
            .Options);
}
