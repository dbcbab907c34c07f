using System.Diagnostics;
using System.Net;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Foundation;

/// <summary>
/// A server or service process that dies comes back by itself, and one started again (by the
/// AppHost or from the dashboard) is reached through the gateway again (ADR 0007). Each test
/// leaves the shared stack healthy.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SelfHealingTests(CareMessagingStack stack)
{
    private static DemoUser Nurse => DemoUsers.InTeam("cardiology", Roles.Nurse)[0];

    [Fact]
    public async Task A_database_server_killed_outright_comes_back_by_itself_and_serves()
    {
        using var nurse = await GatewaySession.SignInAsync(stack, Nurse);
        var launcher = stack.ProcessIdOf(ResourceNames.Postgres);
        var postmaster = int.Parse(File.ReadLines(Path.Combine(stack.StateDirectory, "postgres", "data", "postmaster.pid")).First());

        Process.GetProcessById(postmaster).Kill();

        await stack.WaitUntilRunningAgainAsync(ResourceNames.Postgres, launcher);
        Assert.Equal(HttpStatusCode.OK, await EventuallyAnswersAsync(nurse, "/api/conversations"));
        var logs = await stack.GetResourceLogsAsync();
        Assert.Contains(logs[ResourceNames.Postgres], line => line.Contains("Stopped by itself", StringComparison.Ordinal));
        await stack.WaitUntilHealthyAsync(CareMessagingStack.AllResources);
    }

    [Fact]
    public async Task A_service_killed_by_the_process_id_the_dashboard_shows_comes_back_by_itself_and_serves_through_the_gateway()
    {
        using var nurse = await GatewaySession.SignInAsync(stack, Nurse);
        var process = stack.ProcessIdOf(ResourceNames.Conversation);

        Process.GetProcessById(process).Kill();

        await stack.WaitUntilRunningAgainAsync(ResourceNames.Conversation, process);
        Assert.Equal(HttpStatusCode.OK, await EventuallyAnswersAsync(nurse, "/api/conversations"));
        await stack.WaitUntilHealthyAsync(CareMessagingStack.AllResources);
    }

    [Theory]
    [InlineData(ResourceNames.Conversation, "/api/conversations")]
    [InlineData(ResourceNames.Notification, "/api/notifications/unread")]
    [InlineData(ResourceNames.Audit, "/api/audit/verify")]
    public async Task A_service_restarted_from_the_dashboard_serves_through_the_gateway_again(string service, string path)
    {
        var user = service == ResourceNames.Audit ? DemoUsers.ComplianceOfficer : Nurse;
        using var client = await GatewaySession.SignInAsync(stack, user);
        var before = stack.ProcessIdOf(service);

        await stack.RestartResourceAsync(service);

        Assert.NotEqual(before, stack.ProcessIdOf(service));
        Assert.Equal(HttpStatusCode.OK, await EventuallyAnswersAsync(client, path));
        await stack.WaitUntilHealthyAsync(CareMessagingStack.AllResources);
    }

    /// <summary>The status of the first answer that is not an error of a store still coming back, within a resource start.</summary>
    private static async Task<HttpStatusCode?> EventuallyAnswersAsync(HttpClient client, string path) =>
        await Eventually.Until(
            async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    using var response = await client.GetAsync(path, timeout.Token);
                    return (HttpStatusCode?)response.StatusCode;
                }
                catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
                {
                    return null;
                }
            },
            status => status == HttpStatusCode.OK,
            within: TestTimeouts.ResourceStart);
}
