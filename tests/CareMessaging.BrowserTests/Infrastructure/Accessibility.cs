using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>
/// Scans what a page shows with axe-core for the WCAG 2.0 and 2.1 level A and AA rules, and
/// describes each violation by rule, impact and the elements that break it.
/// </summary>
public static class Accessibility
{
    /// <summary>WCAG 2.0 and 2.1, levels A and AA: what a hospital's web pages are held to.</summary>
    public static readonly IReadOnlyList<string> WcagAandAA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>The violations on the page as it is now, one line each: "view: rule (impact) at selectors — help".</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, string view)
    {
        // Scans start once the web app's scripts have run (the Identity service's sign-in page has
        // none), so that what is checked is what a person sees.
        await Assertions.Expect(page.Locator("body[data-scripts='ready'], body:not([data-role])")).ToBeAttachedAsync();
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagAandAA] },
        });
        // A scan that checked nothing would pass anything: axe must have run its rules on this page.
        Assert.True(result.Passes.Length > 0, $"axe-core checked no rule on the {view}.");
        return result.Violations
            .SelectMany(rule => rule.Nodes.Select(node => $"{view}: {rule.Id} ({rule.Impact}) at {node.Target} — {rule.Help}"))
            .ToList();
    }

    /// <summary>Fails naming every violation the views showed.</summary>
    public static void AssertNone(IEnumerable<string> violations)
    {
        var found = violations.ToList();
        Assert.True(found.Count == 0, $"{found.Count} accessibility violation(s):{Environment.NewLine}{string.Join(Environment.NewLine, found)}");
    }
}
