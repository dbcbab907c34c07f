using CareMessaging.Contracts;
using CareMessaging.Gateway.Limits;
using CareMessaging.Gateway.Proxy;
using CareMessaging.Gateway.Security;
using Microsoft.AspNetCore.DataProtection;
using CareMessaging.Gateway.Sessions;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StackExchange.Redis;

namespace CareMessaging.Gateway.Extensions;

internal static class Extensions
{
    /// <summary>Largest request body the gateway accepts; a message is at most 5000 characters.</summary>
    public const long DefaultMaxRequestBodyBytes = 256 * 1024;

    public static void AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var maxBody = builder.Configuration.GetValue("Gateway:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxBody;
        });

        // Browsers reach the gateway directly, or through the ingress named in ForwardedHeaders:TrustedNetworks.
        builder.AddTrustedProxies(trustLoopback: false);

        // Sessions live in a Redis of their own (ADR 0027). Every call is bounded: a store that does
        // not answer costs a request at most these timeouts and then a 503, never a blocked thread.
        builder.AddRedisClient(ResourceNames.Sessions, configureOptions: options =>
        {
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = SessionStoreTimeouts.ConnectMilliseconds;
            options.AsyncTimeout = SessionStoreTimeouts.CommandMilliseconds;
            options.SyncTimeout = SessionStoreTimeouts.CommandMilliseconds;
        });
        // The front door stays ready while the broker is away: reads and sends (through the
        // Conversation service's outbox) still work, and only a sign-out waits for the broker and
        // gets a 503. Unready, every replica would leave its Service at once and take the whole site down.
        builder.AddMessaging(ResourceNames.Gateway, readyWithoutBroker: true);

        // Cookies, anti-forgery tokens and stored sessions are protected with keys made from the
        // secret store's DataProtection:Keys, the same on every replica and after every restart.
        builder.Services.AddSingleton<SecretKeyRing>();
        builder.Services.AddDataProtection().SetApplicationName("CareMessaging.Gateway").DisableAutomaticKeyGeneration();
        builder.Services.AddOptions<KeyManagementOptions>().Configure<SecretKeyRing>((options, ring) => options.XmlRepository = ring);
        builder.Services.AddSingleton<HubConnections>();
        builder.Services.AddHostedService<HubConnectionSweep>();

        builder.AddRequestLimits();
        builder.AddBrowserAuthentication();
        builder.AddCsrfProtection();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddConfigFilter<ProxyActivityTimeout>()
            .AddTokenRelay()
            .AddSessionPage();
    }

    /// <summary>
    /// A body larger than the limit is refused before authentication looks at the request: the
    /// first read makes Kestrel answer 413 itself, closing the connection the way it does for any
    /// over-long body.
    /// </summary>
    public static void UseRequestBodyLimit(this WebApplication app)
    {
        var maxBody = app.Configuration.GetValue("Gateway:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > maxBody)
            {
                _ = await context.Request.Body.ReadAsync(new byte[1]);
            }

            await next(context);
        });
    }

    /// <summary>
    /// Connects to the session store and reads the key ring before the gateway takes requests, on
    /// the starting thread and bounded by the connect timeout, so no request waits on either.
    /// </summary>
    public static void PrepareSessionStore(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<SecretKeyRing>();
        _ = app.Services.GetRequiredService<IConnectionMultiplexer>();
    }

    public static void MapGatewayProxy(this WebApplication app) =>
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ServiceOutages.AnswerFailedForwardAsync);
            proxy.Use(HubConnections.TrackAsync);
            proxy.Use(TokenRelay.AttachTokenAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

    /// <summary>
    /// An /api path that no service owns is answered here, as ProblemDetails, rather than
    /// falling through to the web front end's catch-all.
    /// </summary>
    public static void MapUnknownApiRoutes(this WebApplication app) =>
        app.Map("/api/{**rest}", static () => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: "No API answers at this address.")).AllowAnonymous();
}
