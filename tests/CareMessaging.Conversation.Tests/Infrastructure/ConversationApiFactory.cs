extern alias ConversationService;

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
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
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, LoopbackPeer>());
    }

    /// <summary>
    /// The test server has no TCP peer; the requests come from the gateway's side of loopback, as
    /// the AppHost's local runs do, so the service believes their X-Forwarded-For as it would there.
    /// </summary>
    private sealed class LoopbackPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return following(context);
            });
            next(app);
        };
    }
}
