using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Data;

/// <summary>The Conversation service's own database: patients, conversations, messages, read state, outbox.</summary>
public sealed class ConversationDbContext(DbContextOptions<ConversationDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Substring search over topics and patient names uses trigram indexes.
        modelBuilder.HasPostgresExtension("pg_trgm");
    }
}
