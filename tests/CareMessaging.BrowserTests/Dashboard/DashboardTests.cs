using System.Text.RegularExpressions;
using CareMessaging.BrowserTests.Infrastructure;
using CareMessaging.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Dashboard;

/// <summary>
/// The Aspire dashboard of a run started the way <c>./run.sh</c> starts it, opened in a browser
/// from the login address the console prints: on a machine that trusts no development
/// certificate it shows every resource and the services' telemetry (ADR 0006).
/// </summary>
public sealed partial class DashboardTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    [Fact]
    public async Task The_dashboard_opened_from_the_printed_login_address_shows_every_server_and_service_running_and_healthy_and_the_services_telemetry()
    {
        var host = AppHostProcess.Start(["Infrastructure:Mode=processes", $"Infrastructure:StateDirectory={_state.Path}"]);
        await using var _ = host;
        var login = await host.WaitForDashboardLoginAsync(TestTimeouts.StackStart);
        var gateway = await host.WaitForGatewayAsync(TestTimeouts.StackStart);
        using (var client = new HttpClient { BaseAddress = gateway, Timeout = TestTimeouts.Request })
        {
            // A request through the gateway, so that every hop has something to report.
            (await client.GetAsync(new Uri("/signin", UriKind.Relative))).Dispose();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserStack.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout((float)TestTimeouts.Request.TotalMilliseconds);

        await page.GotoAsync(login.ToString());

        // The dashboard keeps its reconnection banner in the page, hidden while it is connected.
        await Expect(page.GetByText("Lost connection", new() { Exact = false }).First).ToBeHiddenAsync();
        // The databases are listed folded under their server; the servers and every service at the top.
        foreach (var resource in new[] { ResourceNames.Postgres, ResourceNames.Redis, ResourceNames.Messaging }.Concat(ResourceNames.Projects))
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = ResourceName(resource) });
            await Expect(row.First).ToContainTextAsync("Running", new() { Timeout = (float)TestTimeouts.ResourceStart.TotalMilliseconds });
        }

        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = Unwell() })).ToHaveCountAsync(0);

        await page.GotoAsync(new Uri(login, "/structuredlogs").ToString());
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = ResourceName(ResourceNames.Gateway) }).First).ToBeVisibleAsync();

        await page.GotoAsync(new Uri(login, "/traces").ToString());
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = ResourceName(ResourceNames.Gateway) }).First).ToBeVisibleAsync();

        await page.GotoAsync(new Uri(login, $"/metrics/resource/{ResourceNames.Gateway}").ToString());
        await Expect(page.GetByText("http.server.request.duration").First).ToBeVisibleAsync();
    }

    public void Dispose() => _state.Dispose();

    // "conversation" but not "conversationdb".
    private static Regex ResourceName(string name) => new($@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase);

    [GeneratedRegex("Unhealthy|Degraded|Failed to start|Exited|Finished", RegexOptions.IgnoreCase)]
    private static partial Regex Unwell();
}
