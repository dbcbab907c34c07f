using System.Globalization;
using Microsoft.Playwright;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>Reading the inbox the way a person reads it.</summary>
public static class PageExtensions
{
    public static ILocator ConversationItems(this IPage page) => page.Locator("[data-conversation-list] [data-conversation-id]");

    public static ILocator ConversationItem(this IPage page, Guid id) => page.Locator($"[data-conversation-list] [data-conversation-id='{id}']");

    public static ILocator Thread(this IPage page) => page.Locator("[data-thread]");

    public static ILocator Messages(this IPage page) => page.Locator("[data-messages] [data-message-id]");

    public static ILocator UnreadBadge(this IPage page) => page.Locator("[data-unread-badge]");

    /// <summary>The conversation ids the list shows, top to bottom.</summary>
    public static async Task<IReadOnlyList<Guid>> ConversationIdsAsync(this IPage page) =>
        (await page.ConversationItems().EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.conversationId)"))
        .Select(Guid.Parse).ToList();

    public static async Task<long> StatAsync(this IPage page, string name) =>
        long.Parse((await page.Locator($"[data-stat='{name}']").InnerTextAsync()).Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    public static async Task<long> BadgeAsync(this IPage page) =>
        long.Parse(await page.UnreadBadge().TextContentAsync() ?? "0", CultureInfo.InvariantCulture);

    /// <summary>Waits until the hub connection is up, so that pushes from now on reach the page.</summary>
    public static Task WaitForLiveAsync(this IPage page) =>
        Assertions.Expect(page.Locator("body[data-live='connected']")).ToBeAttachedAsync();

    /// <summary>Waits until the list shows the results for this tab and search.</summary>
    public static Task WaitForListAsync(this IPage page, string filter, string query) =>
        Assertions.Expect(page.Locator($"[data-list-panel][data-loaded-filter='{filter}'][data-loaded-query='{query}']:not([aria-busy])")).ToBeAttachedAsync();

    /// <summary>Pixels between the bottom of the message history and the bottom of what is scrolled into view.</summary>
    public static Task<double> DistanceFromBottomAsync(this IPage page) =>
        page.Locator("[data-message-scroller]").EvaluateAsync<double>("s => s.scrollHeight - s.scrollTop - s.clientHeight");

    /// <summary>Marks the document, so that a test can tell later that the page was never reloaded.</summary>
    public static Task MarkDocumentAsync(this IPage page) => page.EvaluateAsync("() => { window.__sameDocument = 'yes'; }");

    public static Task<bool> IsSameDocumentAsync(this IPage page) => page.EvaluateAsync<bool>("() => window.__sameDocument === 'yes'");

    /// <summary>The gateway's Content-Security-Policy allows no inline script or style: the page must have none.</summary>
    public static async Task AssertNoInlineScriptOrStyleAsync(this IPage page)
    {
        Assert.Equal(0, await page.Locator("script:not([src]), style, [style]").CountAsync());
        var handlers = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length");
        Assert.Equal(0, handlers);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the request timeout passes.</summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string because) => EventuallyAsync(condition, () => because);

    /// <summary>Polls <paramref name="condition"/>; on time-out, <paramref name="because"/> says what was last seen.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> because)
    {
        var deadline = DateTime.UtcNow + CareMessaging.Testing.TestTimeouts.Request;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because()}.");
            }

            await Task.Delay(250);
        }
    }
}
