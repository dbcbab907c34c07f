using CareMessaging.ServiceDefaults;
using CareMessaging.ServiceDefaults.Telemetry;
using CareMessaging.ServiceDefaults.Outages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every CareMessaging service shares: telemetry to the dashboard, health endpoints,
/// service discovery, resilient HTTP clients, bounded waits on every dependency and ProblemDetails
/// errors, a dependency that is down answered 503 with Retry-After.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        // Before the stores are registered, which read their connection strings once.
        StoreTls.AddStoreTls(builder);
        Timeouts.BoundConnectionStrings(builder.Configuration);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(Timeouts.BoundServiceCalls);
            http.AddServiceDiscovery();
        });

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Whoever answered 503 (an outage, a rebuild, a page whose service is down), the caller learns when to try again.
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable
                && !context.HttpContext.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)OutageAnswer.For(Dependency.Service).RetryAfter.TotalSeconds)
                    .ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        // First of the exception handlers, so that a service's own handlers see only what is not an outage.
        builder.Services.AddExceptionHandler<OutageExceptionHandler>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddTrustedProxies();
        // Search terms travel in query strings; no log level may write request addresses (ADR 0005).
        builder.Services.KeepRequestAddressesOutOfLogs();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            // ASP.NET Core's request scope holds the request path, a patient ID among them, and a
            // scope cannot be redacted; a record's trace and span ids lead to its request (ADR 0058).
            logging.IncludeScopes = false;
            logging.AddProcessor(new AddressRedaction.LogProcessor());
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                // Every product meter: CareMessaging.<Service> and CareMessaging.Messaging (docs/operations/metrics.md).
                .AddMeter(ProductTelemetry.AllNames))
            .WithTracing(tracing => tracing
                .AddSource(ProductTelemetry.AllNames)
                .AddSource("MassTransit")
                // Before the exporter's batch takes the span: no patient ID leaves in a request address.
                .AddProcessor(new AddressRedaction.SpanProcessor())
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes arrive every few seconds and would drown real traces.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // A probe of a server that does not answer reports unhealthy in seconds instead of hanging /health.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(Timeouts.BoundHealthChecks);
        return builder;
    }

    /// <summary>
    /// The shared middleware of an API service, in this order: unhandled exceptions and bare status
    /// codes (a 401 or 403 included) become ProblemDetails, control characters in any text are
    /// refused (<see cref="RequestTextValidation"/>), then authentication, then authorization.
    /// A service with middleware of its own between these steps (the gateway, Identity) writes its
    /// pipeline out with <see cref="UseErrorResponses"/> and the framework's calls instead.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseErrorResponses();
        app.UseRequestTextValidation();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Exceptions and bare status codes become ProblemDetails. First in every pipeline, so that
    /// whatever runs after it fails with a ProblemDetails body rather than an empty 500 or, in
    /// Development, the developer page with its stack trace and echoed headers. A request the
    /// server cannot read (a body over the limit, a malformed one) keeps its 4xx status; one that
    /// failed because a store, the broker or another service is down is a 503 with Retry-After. The
    /// ProblemDetails is written whatever the client accepts: a browser asking for HTML would
    /// otherwise get the exception thrown on, to the developer page with its stack trace.
    /// </summary>
    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusOf,
            ExceptionHandler = WriteProblemAsync,
        });
        app.UseStatusCodePages();
        return app;
    }

    private static int StatusOf(Exception exception) => exception switch
    {
        BadHttpRequestException badRequest => badRequest.StatusCode,
        // Answered by OutageExceptionHandler with its Retry-After; never a 500.
        _ when CareMessaging.ServiceDefaults.Outages.Outages.Classify(exception) is not null => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static async Task WriteProblemAsync(HttpContext context)
    {
        var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
        var status = exception is null ? StatusCodes.Status500InternalServerError : StatusOf(exception);
        context.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "The request is too large"
                : status < 500 ? "The request could not be read"
                : "Something went wrong on our side",
            Detail = status == StatusCodes.Status413PayloadTooLarge ? "Send a smaller request." : null,
        };
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }

    /// <summary>
    /// Maps /health (ready: every dependency answers) and /alive (live: the process runs). Both are
    /// mapped in every environment because Kubernetes probes them, and need no sign-in.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        }).AllowAnonymous();
        return app;
    }
}
