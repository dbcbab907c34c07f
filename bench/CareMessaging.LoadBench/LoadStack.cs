using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using CareMessaging.Testing;

namespace CareMessaging.LoadBench;

/// <summary>
/// The whole AppHost as the end-to-end tests start it (processes mode, a state folder of its own),
/// with the logging the services ship with. Two settings differ from a deployment, both because
/// one machine plays every user: sign-ins all come from one address, and eleven senders play the
/// traffic of a hospital, so the per-user limits are raised unless asked to stay as deployed. The
/// stack may take long to start on a machine busy with other work, so it gets 15 minutes.
/// </summary>
internal sealed class LoadStack : AppHostStack, IAsyncDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    public string StateDirectory => _state.Path;

    public static async Task<LoadStack> StartAsync(bool deployedUserLimits)
    {
        var stack = new LoadStack();
        // The senders are the demo staff, and the demo seed is only there when asked for.
        await stack.StartAsync(stack._state.Path, ["Seed:Demo=true"], CareMessagingStack.AllResources, TimeSpan.FromMinutes(15), builder =>
        {
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Identity)
                .WithEnvironment("Identity__RateLimits__AttemptsPerMinutePerAddress", "1000");
            if (!deployedUserLimits)
            {
                builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Gateway)
                    .WithEnvironment("Gateway__RateLimits__UserWritesPerSecond", "100000")
                    .WithEnvironment("Gateway__RateLimits__UserReadsPerSecond", "100000");
            }
        });
        return stack;
    }

    public Uri GatewayAddress
    {
        get
        {
            using var client = App.CreateHttpClient(ResourceNames.Gateway, "http");
            return client.BaseAddress!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _state.Dispose();
    }
}
