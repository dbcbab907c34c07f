using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.BrowserTests.Infrastructure;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Dashboard;

/// <summary>
/// The Aspire dashboard of a run started the way <c>./run.sh</c> starts it (its launch profile,
/// plain HTTP on localhost), opened in a browser from the login address the console prints: on a
/// machine that trusts no development certificate it shows every resource of the model Running
/// and healthy, and the services' traces, metrics and structured logs (ADR 0006).
/// </summary>
public sealed partial class DashboardTests : IDisposable
{
    private const string Team = "cardiology";
    private const string SendRoute = "POST /api/conversations/";
    private const string MessagesSent = "caremessaging.messages.sent";

    private readonly TemporaryStateDirectory _state = new();
    private readonly TemporaryStateDirectory _modelState = new();

    [Fact]
    public async Task The_dashboard_opened_from_the_printed_login_address_shows_every_resource_running_and_healthy_and_the_services_traces_metrics_and_logs()
    {
        var resources = await DashboardResourcesAsync();
        // The containers mode needs images this machine cannot fetch; the gateway takes any free
        // port, so that a developer's own run here is not disturbed.
        var host = AppHostProcess.Start(["Infrastructure:Mode=processes", $"Infrastructure:StateDirectory={_state.Path}", "Gateway:Port=0"]);
        await using var _ = host;
        var login = await host.WaitForDashboardLoginAsync(TestTimeouts.StackStart);
        var gateway = await host.WaitForGatewayAsync(TestTimeouts.StackStart);
        // A sign-in and a send through the gateway, so that every service has something to report.
        await SendAMessageAsync(gateway);

        Assertions.SetDefaultExpectTimeout((float)TestTimeouts.Request.TotalMilliseconds);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserStack.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 1400 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout((float)TestTimeouts.Request.TotalMilliseconds);
        var page = await context.NewPageAsync();
        await page.GotoAsync(login.ToString());

        // The grid renders only the rows in view, so each resource is looked up by the filter an
        // operator types into; a healthy resource's state reads exactly "Running", an unhealthy
        // one's "Running (Unhealthy)".
        var filter = page.GetByRole(AriaRole.Searchbox);
        foreach (var resource in resources)
        {
            await filter.FillAsync(resource);
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Gridcell, new() { NameRegex = NameCell(resource) }) });
            await Expect(row.GetByRole(AriaRole.Gridcell, new() { Name = "Running", Exact = true }))
                .ToBeVisibleAsync(new() { Timeout = (float)TestTimeouts.ResourceStart.TotalMilliseconds });
        }

        // A request through the gateway is one trace down to the consumers: each service's list
        // of traces holds the gateway's request.
        foreach (var service in new[] { ResourceNames.Gateway, ResourceNames.Conversation, ResourceNames.Notification, ResourceNames.Stats, ResourceNames.Audit })
        {
            await page.GotoAsync(new Uri(login, $"/traces/resource/{service}").ToString());
            await page.GetByRole(AriaRole.Searchbox).FillAsync(SendRoute);
            await Expect(page.GetByRole(AriaRole.Gridcell, new() { NameRegex = SendTrace() }).First).ToBeVisibleAsync();
        }

        // The Conversation service's own meter, with the instrument the send moved.
        await page.GotoAsync(new Uri(login, $"/metrics/resource/{ResourceNames.Conversation}").ToString());
        await page.GetByTitle(MessagesSent, new() { Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ConversationMeter());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = MessagesSent, Exact = true, Level = 3 })).ToBeVisibleAsync();

        // The Conversation service's structured logs.
        await page.GotoAsync(new Uri(login, $"/structuredlogs/resource/{ResourceNames.Conversation}").ToString());
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Gridcell, new() { Name = ResourceNames.Conversation, Exact = true }) }).First)
            .ToBeVisibleAsync();
    }

    public void Dispose()
    {
        _state.Dispose();
        _modelState.Dispose();
    }

    /// <summary>
    /// The names of every resource the dashboard lists, read from the AppHost's model as the run
    /// builds it: everything but parameters, which the dashboard keeps on a tab of their own, and
    /// what Aspire hides from its lists (the projects' rebuilders).
    /// </summary>
    private async Task<IReadOnlyList<string>> DashboardResourcesAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CareMessaging_AppHost>(
            ["Infrastructure:Mode=processes", $"Infrastructure:StateDirectory={_modelState.Path}"])
            .WaitAsync(TestTimeouts.Request);
        await using (builder)
        {
            return [.. builder.Resources.Where(r => r is not ParameterResource && !r.Annotations.OfType<HiddenAnnotation>().Any()).Select(r => r.Name)];
        }
    }

    private static async Task SendAMessageAsync(Uri gateway)
    {
        using var browser = new GatewayBrowser(gateway);
        await browser.SignInAsync(DemoUsers.InTeam(Team, Roles.Clinician)[0].UserName, DemoUsers.Password);
        var conversations = new ConversationsClient(browser.Client);
        var patient = DemoUsers.PatientsOf(Team)[0];
        var started = await conversations.StartAsync(new StartConversationRequest(patient.PatientId!, "Dashboard check", "Your results are in.", Guid.NewGuid().ToString())).OrThrowAsync();
        await conversations.SendAsync(started.Id, new SendMessageRequest("Please call the clinic.", Guid.NewGuid().ToString())).OrThrowAsync();
    }

    // The name cell's accessible name is "<type>: <name>": "conversation" but not "conversationdb".
    private static Regex NameCell(string resource) => new($": {Regex.Escape(resource)}$");

    // A trace is named after its first span, the gateway's request; the slashes are escaped for the browser's regex syntax.
    [GeneratedRegex(@"^Name: gateway: POST \/api\/conversations\/")]
    private static partial Regex SendTrace();

    [GeneratedRegex(@"[?&]meter=CareMessaging\.Conversation(&|$)")]
    private static partial Regex ConversationMeter();
}
