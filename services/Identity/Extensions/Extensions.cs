using System.Threading.RateLimiting;
using CareMessaging.Contracts;
using CareMessaging.Identity.Accounts;
using CareMessaging.Identity.Data;
using CareMessaging.Identity.Enrolment;
using CareMessaging.Identity.Oidc;
using CareMessaging.Identity.Telemetry;
using CareMessaging.ServiceDefaults;
using CareMessaging.ServiceDefaults.Outages;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Identity.Extensions;

/// <summary>The public prefix the gateway routes to this service; sign-in pages and OpenID Connect endpoints live under it.</summary>
internal static class PublicPaths
{
    public const string Base = "/identity";
}

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Identity API";

    public static void AddIdentityServices(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(IdentitySettings.SectionName).Get<IdentitySettings>() ?? new IdentitySettings();
        builder.Services.Configure<IdentitySettings>(builder.Configuration.GetSection(IdentitySettings.SectionName));

        builder.AddNpgsqlDbContext<AccountsDbContext>(ResourceNames.IdentityDb, configureDbContextOptions: options => options.UseSnakeCaseNamingConvention().UseOpenIddict().RetryBriefly());
        builder.AddMessaging(ResourceNames.Identity);
        // Sign-in cookies and the pages' anti-forgery tokens must be readable by every replica.
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddSharedDataProtection(ResourceNames.Identity);

        builder.Services.AddIdentity<IdentityUser, IdentityRole>(options =>
            {
                options.Password.RequiredLength = 12;
                // Failed attempts never lock an account, which anyone who knows its name could do:
                // SignInThrottle slows them down per address instead (docs/decisions/0026). A lockout
                // end an administrator sets still refuses the account and ends its sessions.
                options.Lockout.MaxFailedAccessAttempts = int.MaxValue;
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddDefaultTokenProviders()
            // Replaces the default authenticator provider: each code is accepted once (docs/decisions/0025).
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            // Held only between signing in here and the gateway receiving its code.
            cookie.Cookie.Name = "cm.identity";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(10);
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/account/signin";
            cookie.LogoutPath = "/account/signout";
            cookie.AccessDeniedPath = "/account/signin";
        });

        // Access tokens for this service's own API (GET /identity/api/account).
        builder.AddDefaultAuthentication(audience: ResourceNames.Identity);
        builder.AddOidcServer(settings);

        builder.Services.AddRazorPages(pages => pages.Conventions.AuthorizePage("/Account/MfaEnrol"));
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "cm.identity.af";
            antiforgery.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<SignInAudit>();
        builder.Services.AddSingleton<IdentityTelemetry>();
        builder.Services.AddScoped<PasswordCheck>();
        builder.Services.AddScoped<SignInThrottle>();
        builder.Services.AddOptions<SignInThrottleSettings>().Bind(builder.Configuration.GetSection("Identity:Throttle"));
        builder.Services.AddHostedService<SignInFailurePruning>();
        builder.Services.AddScoped<EnrolmentCodes>();
        builder.Services.AddOptions<EnrolmentSettings>().Bind(builder.Configuration.GetSection("Identity:Enrolment"));
        builder.Services.AddScoped<ClientRegistration>();
        builder.Services.AddScoped<DemoAccountSeeder>();

        var limits = builder.Configuration.GetSection("Identity:RateLimits").Get<SignInRateLimitSettings>() ?? new SignInRateLimitSettings();
        builder.Services.AddSingleton(new SignInRateLimits(limits));
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "10";
                return ValueTask.CompletedTask;
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/connect/token")
                    ? TokenRequestPartition(context, settings, limits)
                    : RateLimitPartition.GetNoLimiter("other"));
        });

        // The gateway forwards the browser's host, scheme and address: redirects and the client
        // address in sign-in events then name what the browser sees. They are believed only from the
        // trusted networks (loopback, ForwardedHeaders:TrustedNetworks; AddServiceDefaults), never
        // from any peer.

        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    /// <summary>
    /// Token requests are limited per registered client and address (all of a client's users share
    /// its bucket only up to a generous limit, and each user's refreshes are limited again once the
    /// token endpoint knows who they are), and per address for anything else, so one client's or one
    /// address's flood never uses up another's limit. The client id is not yet authenticated here:
    /// the address keeps a request that merely names a service's client id from using up the bucket
    /// of the service itself.
    /// </summary>
    private static RateLimitPartition<string> TokenRequestPartition(HttpContext context, IdentitySettings settings, SignInRateLimitSettings limits)
    {
        var clientId = context.Request.HasFormContentType ? context.Request.Form["client_id"].ToString() : string.Empty;
        var registered = clientId.Length > 0 && settings.Clients.ContainsKey(clientId);
        var address = ClientAddress.Of(context) ?? "unknown";
        return RateLimitPartition.GetSlidingWindowLimiter(
            registered ? $"client:{clientId}@{address}" : "address:" + address,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = registered ? limits.TokenRequestsPerMinutePerClient : limits.TokenRequestsPerMinutePerAddress,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            });
    }

    /// <summary>Reads a token request's form before the rate limiter, which partitions by its client_id.</summary>
    public static void UseTokenRequestForm(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/connect/token") && context.Request.HasFormContentType)
        {
            await context.Request.ReadFormAsync(context.RequestAborted);
        }

        await next(context);
    });

    public static void MapIdentityOpenApi(this WebApplication app) =>
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

    /// <summary>
    /// Registers the clients and scopes, then the demo accounts when asked for, in one transaction
    /// under an advisory lock: replicas starting together would otherwise both create the same
    /// scope, client or account, and the one that loses fails its start.
    /// </summary>
    public static async Task PrepareAccountsAsync(this WebApplication app)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(stopping);
            await db.LockForTransactionAsync(AdvisoryLocks.IdentityStartup, stopping);
            await scope.ServiceProvider.GetRequiredService<ClientRegistration>().RegisterAsync(stopping);
            await scope.ServiceProvider.GetRequiredService<DemoAccountSeeder>().SeedAsync(stopping);
            await transaction.CommitAsync(stopping);
        });
    }
}
