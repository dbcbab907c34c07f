using System.Globalization;
using CareMessaging.ServiceDefaults.Outages;
using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace CareMessaging.Gateway.Proxy;

/// <summary>
/// A service behind the gateway that is down, restarting or silent is answered like an outage of a
/// store: a ProblemDetails naming the service, with <c>Retry-After</c>, instead of YARP's empty 502
/// or 504 (docs/decisions/0059-outages-are-503-with-retry-after.md). Refused or reset connections are
/// 503; a service that stops answering is a 504 after <see cref="DefaultActivityTimeout"/>.
/// </summary>
internal static class ServiceOutages
{
    /// <summary>
    /// How long a proxied request may go without any progress (YARP's default is 100 s). Above the
    /// services' own waits for their stores to connect, so their 503 reaches the caller first; a stream
    /// (an audit export, the hub's WebSocket with its 15 s keep-alives) is progress and is not cut.
    /// A cluster's own <c>HttpRequest:ActivityTimeout</c> in configuration wins.
    /// </summary>
    public static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs first in the proxy pipeline: after the forwarder, a failed forward becomes a ProblemDetails.</summary>
    public static async Task AnswerFailedForwardAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted)
        {
            return;
        }

        var status = failure.Error switch
        {
            ForwarderError.Request or ForwarderError.NoAvailableDestinations => StatusCodes.Status503ServiceUnavailable,
            ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
            // The caller went away or sent a broken body: nobody to answer, or not an outage.
            _ => (int?)null,
        };
        if (status is not { } code)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
        var answer = OutageAnswer.For(Dependency.Service);
        context.Response.StatusCode = code;
        context.Response.Headers.RetryAfter = ((int)answer.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = code,
                Title = code == StatusCodes.Status504GatewayTimeout
                    ? $"The {service} service did not answer in time"
                    : $"The {service} service is unavailable",
                Detail = $"It may be restarting. {OutageAnswer.RepeatSafely}",
                Extensions = { [OutageExceptionHandler.UnavailableMember] = answer.Name, ["service"] = service },
            },
        });
    }
}

/// <summary>Gives every cluster <see cref="ServiceOutages.DefaultActivityTimeout"/> unless its configuration sets one.</summary>
internal sealed class ProxyActivityTimeout : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) =>
        ValueTask.FromResult(cluster.HttpRequest?.ActivityTimeout is not null
            ? cluster
            : cluster with { HttpRequest = (cluster.HttpRequest ?? new ForwarderRequestConfig()) with { ActivityTimeout = ServiceOutages.DefaultActivityTimeout } });

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}
