using Microsoft.Playwright;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>
/// The whole CareMessaging stack (started once for every browser test) and Debian's Chromium
/// driven by Playwright. Each test opens its own browser contexts: separate cookie jars, so a
/// staff member and a patient can be signed in side by side.
/// </summary>
public sealed class BrowserStack : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public CareMessagingStack Stack { get; } = new();

    public DemoSeed Seed => DemoSeed.Current;

    public Uri GatewayAddress { get; private set; } = default!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        using (var client = Stack.CreateGatewayClient())
        {
            GatewayAddress = client.BaseAddress!;
        }

        Assertions.SetDefaultExpectTimeout((float)TestTimeouts.Request.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, with nothing of its own going to the network.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });

    /// <summary>A fresh browser profile pointed at the gateway, in a time zone other than UTC; <paramref name="userAgent"/> poses as another browser.</summary>
    public async Task<IBrowserContext> NewContextAsync(
        ViewportSize? viewport = null, string timeZone = "America/New_York", bool javaScriptEnabled = true, string? userAgent = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = GatewayAddress.ToString().TrimEnd('/'),
            ViewportSize = viewport ?? new ViewportSize { Width = 1366, Height = 900 },
            TimezoneId = timeZone,
            Locale = "en-US",
            HasTouch = viewport is { Width: < 768 },
            IsMobile = viewport is { Width: < 768 },
            JavaScriptEnabled = javaScriptEnabled,
            UserAgent = userAgent,
        });
        context.SetDefaultTimeout((float)TestTimeouts.Request.TotalMilliseconds);
        return context;
    }

    /// <summary>Signs in through the gateway's sign-in flow, as a person would, and lands on <paramref name="returnUrl"/>.</summary>
    public async Task<IPage> SignInAsync(IBrowserContext context, DemoUser user, string returnUrl = "/", bool javaScriptEnabled = true)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.Locator("#UserName").FillAsync(user.UserName);
        await page.Locator("#Password").FillAsync(Seed.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/identity/", StringComparison.Ordinal) && !url.Contains("/signin", StringComparison.Ordinal));
        if (javaScriptEnabled)
        {
            await Assertions.Expect(page.Locator("body[data-scripts='ready']")).ToBeAttachedAsync();
        }

        return page;
    }

    /// <summary>A browser context with the user signed in, and its first page.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(DemoUser user, string returnUrl = "/", ViewportSize? viewport = null)
    {
        var context = await NewContextAsync(viewport);
        return (context, await SignInAsync(context, user, returnUrl));
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Stack.DisposeAsync();
    }
}

/// <summary>Every browser test shares one stack and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserStack>
{
    public const string Name = "browser";
}
