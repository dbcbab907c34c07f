extern alias ConversationService;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>
/// The Conversation service, hosted in the test process against the harness's PostgreSQL and
/// RabbitMQ, trusting tokens signed by <see cref="TestTokens"/>. Every other setting comes in
/// through configuration, exactly as the AppHost supplies it.
/// </summary>
public sealed class ConversationApiFactory(TestTokens tokens, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<ConversationService::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // The outage test makes the bus complain on purpose.
            .AddFilter("MassTransit", LogLevel.Error));

        builder.ConfigureTestServices(tokens.Trust);
    }
}
