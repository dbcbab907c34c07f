using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps request addresses, query strings included, out of the logs whatever the configured log
/// levels say. A search term (often a patient's name) travels as <c>?q=</c> on the API, and
/// ASP.NET Core's "Request starting/finished" lines and YARP's "Proxying to" line write the whole
/// address at Information. Those categories are held at Warning for every logging provider, so
/// raising <c>Microsoft.AspNetCore</c> or <c>Yarp</c> to Information while investigating a
/// problem cannot put patient data into the logs. Requests stay visible as traces, whose
/// instrumentation redacts query strings (docs/decisions/0005-patient-data-stays-out-of-logs.md).
/// </summary>
public static class RequestAddressLogging
{
    /// <summary>The categories that log a request's full address at Information or below.</summary>
    public static IReadOnlyList<string> Categories { get; } =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Yarp.ReverseProxy.Forwarder",
    ];

    public static IServiceCollection KeepRequestAddressesOutOfLogs(this IServiceCollection services) =>
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, HoldAtWarning>();

    /// <summary>
    /// Runs after the configuration's rules are bound: drops every rule that would let these
    /// categories log below Warning and adds a Warning rule for each provider a rule names (a
    /// provider's own rule outranks a rule for all providers) and one for all providers.
    /// </summary>
    private sealed class HoldAtWarning : IPostConfigureOptions<LoggerFilterOptions>
    {
        public void PostConfigure(string? name, LoggerFilterOptions options)
        {
            var providers = options.Rules.Select(rule => rule.ProviderName).Distinct().ToList();
            var looser = options.Rules.Where(rule => rule.CategoryName is { } category
                && Categories.Any(held => category.StartsWith(held, StringComparison.OrdinalIgnoreCase))
                && (rule.LogLevel is null || rule.LogLevel < LogLevel.Warning || rule.Filter is not null)).ToList();
            foreach (var rule in looser)
            {
                options.Rules.Remove(rule);
            }

            foreach (var provider in providers.Append(null).Distinct())
            {
                foreach (var category in Categories)
                {
                    options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, filter: null));
                }
            }
        }
    }
}
