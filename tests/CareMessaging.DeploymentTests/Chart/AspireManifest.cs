using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareMessaging.DeploymentTests.Toolchain;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>One project of the AppHost's manifest: its environment keys and which of them carry a secret parameter.</summary>
public sealed record ManifestProject(string Name, IReadOnlyDictionary<string, string> Environment, IReadOnlySet<string> SecretKeys);

/// <summary>
/// The Aspire manifest of the AppHost in External mode (what a deployment is given), published
/// with the command the documentation names; once per test run.
/// </summary>
public static partial class AspireManifest
{
    private static readonly Lazy<Task<IReadOnlyList<ManifestProject>>> Published = new(PublishAsync);

    public static Task<IReadOnlyList<ManifestProject>> ProjectsAsync() => Published.Value;

    private static async Task<IReadOnlyList<ManifestProject>> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"caremessaging-manifest-{Guid.NewGuid():N}", "aspire-manifest.json");
        try
        {
            (await Commands.RunAsync(
                "dotnet",
                ["run", "--project", "AppHost/CareMessaging.AppHost.csproj", "--no-build", "--configuration", BuiltConfiguration, "--", "--publisher", "manifest", "--output-path", output, "--Infrastructure:Mode=External"],
                TimeSpan.FromMinutes(3))).OrThrow("Publishing the Aspire manifest");
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var resources = manifest.RootElement.GetProperty("resources");
            var secretParameters = resources.EnumerateObject()
                .Where(r => r.Value.GetProperty("type").GetString() == "parameter.v0" && IsSecret(r.Value))
                .Select(r => r.Name)
                .ToHashSet(StringComparer.Ordinal);

            return resources.EnumerateObject()
                .Where(r => r.Value.GetProperty("type").GetString() == "project.v0")
                .Select(r =>
                {
                    var environment = r.Value.TryGetProperty("env", out var env)
                        ? env.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
                        : new Dictionary<string, string>(StringComparer.Ordinal);
                    var secrets = environment.Where(e => Placeholder().Matches(e.Value).Any(m => secretParameters.Contains(m.Groups[1].Value)))
                        .Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
                    return new ManifestProject(r.Name, environment, secrets);
                })
                .ToList();
        }
        finally
        {
            if (Directory.Exists(Path.GetDirectoryName(output)))
            {
                Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
            }
        }
    }

    /// <summary>The configuration the suite was built in (./test.sh builds Release), which the AppHost was built in too.</summary>
    private static string BuiltConfiguration =>
        typeof(AspireManifest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static bool IsSecret(JsonElement parameter) =>
        parameter.TryGetProperty("inputs", out var inputs) &&
        inputs.EnumerateObject().Any(i => i.Value.TryGetProperty("secret", out var secret) && secret.GetBoolean());

    [GeneratedRegex(@"\{([^.}]+)\.")]
    private static partial Regex Placeholder();
}
