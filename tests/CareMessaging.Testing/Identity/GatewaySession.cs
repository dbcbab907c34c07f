using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OtpNet;

namespace CareMessaging.Testing;

/// <summary>
/// Signs in through the gateway the way a browser does, without a browser: follows the redirects
/// to the Identity service's pages, posts the forms with their anti-forgery tokens, enters the
/// authenticator code computed from the enrolled key when asked, and ends at <c>/api/session</c>.
/// </summary>
public static class GatewaySession
{
    /// <summary>
    /// An HttpClient that calls the gateway as <paramref name="userName"/>: it keeps the session
    /// cookie and adds the anti-forgery header to every state-changing request.
    /// </summary>
    public static async Task<HttpClient> SignInAsync(CareMessagingStack stack, string userName, string password, string? totpKey = null)
    {
        var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(userName, password, totpKey);
        return browser.Client;
    }

    /// <summary>Signs a demo user in with the demo password.</summary>
    public static Task<HttpClient> SignInAsync(CareMessagingStack stack, DemoUser user, string? totpKey = null) =>
        SignInAsync(stack, user.UserName, DemoUsers.Password, totpKey);
}

/// <summary>What a sign-in attempt came to.</summary>
public sealed record SignInOutcome(bool SignedIn, HttpStatusCode Status, Uri FinalAddress, string? Error, string Body);

/// <summary>
/// A cookie-keeping, redirect-following client of the gateway, for tests that need more than a
/// signed-in HttpClient: failed attempts, enrolment, sessions, sign-out.
/// </summary>
public sealed partial class GatewayBrowser : IDisposable
{
    private const int TimeStepSeconds = 30;
    private const string AntiForgeryField = "__RequestVerificationToken";

    /// <summary>The newest time step whose code was handed out, per shared key, so that no code is entered twice.</summary>
    private static readonly ConcurrentDictionary<string, long> UsedSteps = new(StringComparer.Ordinal);

    private readonly BrowserHandler _handler;

    public GatewayBrowser(Uri gatewayAddress, HttpMessageHandler? transport = null, string userAgent = "CareMessagingTests/1.0")
    {
        Cookies = new CookieContainer();
        _handler = new BrowserHandler(Cookies, gatewayAddress) { InnerHandler = transport ?? new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false } };
        Client = new HttpClient(_handler) { BaseAddress = gatewayAddress, Timeout = TestTimeouts.Request };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
    }

    public static GatewayBrowser For(CareMessagingStack stack, string userAgent = "CareMessagingTests/1.0") =>
        new(stack.CreateGatewayClient().BaseAddress!, userAgent: userAgent);

    public CookieContainer Cookies { get; }

    /// <summary>This browser's session (its cookies) used at another address only: one gateway replica or pod.</summary>
    public GatewayBrowser PinnedTo(Uri address, HttpMessageHandler? transport = null)
    {
        var pinned = new GatewayBrowser(address, transport);
        foreach (Cookie cookie in Cookies.GetAllCookies())
        {
            pinned.Cookies.Add(cookie);
        }

        return pinned;
    }

    /// <summary>Calls the gateway with this browser's cookies and the anti-forgery header on state-changing requests.</summary>
    public HttpClient Client { get; }

    /// <summary>The authenticator key the last sign-in enrolled, when the account had to enrol.</summary>
    public string? EnrolledKey { get; private set; }

    /// <summary>
    /// A connection, not yet started, to the notification hub through the gateway over WebSockets,
    /// carrying this browser's session cookie and nothing else, as a browser's would.
    /// </summary>
    public HubConnection NotificationHub()
    {
        var address = new Uri(Client.BaseAddress!, NotificationPushes.HubPath);
        var cookies = new CookieContainer();
        foreach (Cookie cookie in Cookies.GetCookies(address))
        {
            cookies.Add(address, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        return new HubConnectionBuilder()
            .WithUrl(address, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Cookies = cookies;
            })
            .Build();
    }

    /// <summary>The gateway address a sign-in starts at unless a test names another: back to the session afterwards.</summary>
    public const string DefaultSignInPath = "/signin?returnUrl=%2Fapi%2Fsession";

    /// <summary>Signs in and throws when the attempt is refused.</summary>
    public async Task SignInAsync(string userName, string password, string? totpKey = null, string signInPath = DefaultSignInPath)
    {
        var outcome = await TrySignInAsync(userName, password, totpKey, signInPath);
        if (!outcome.SignedIn)
        {
            throw new InvalidOperationException($"Sign-in of {userName} was refused ({(int)outcome.Status} at {outcome.FinalAddress}): {outcome.Error ?? outcome.Body[..Math.Min(outcome.Body.Length, 2000)]}");
        }
    }

    /// <summary>
    /// Signs in starting at <paramref name="signInPath"/> (a <c>/signin</c> address with its own
    /// <c>returnUrl</c>, for example); signed in means ending at <c>/api/session</c> with a session.
    /// </summary>
    public Task<SignInOutcome> TrySignInAsync(string userName, string password, string? totpKey = null, string signInPath = DefaultSignInPath) =>
        TrySignInAsync(userName, password, totpKey is null ? null : () => Totp(totpKey), signInPath);

    /// <summary>Signs in entering exactly <paramref name="code"/> when the authenticator code is asked for.</summary>
    public Task<SignInOutcome> TrySignInWithCodeAsync(string userName, string password, string code) =>
        TrySignInAsync(userName, password, () => code, DefaultSignInPath);

    private async Task<SignInOutcome> TrySignInAsync(string userName, string password, Func<string>? code, string signInPath)
    {
        using var start = await Client.GetAsync(signInPath);
        var page = await ReadAsync(start);
        if (!IsSignInPage(page))
        {
            return Outcome(page);
        }

        page = await PostFormAsync(page, new() { ["UserName"] = userName, ["Password"] = password });
        if (IsPage(page, "/account/mfa") && code is not null)
        {
            page = await PostFormAsync(page, new() { ["Code"] = code() });
        }
        else if (IsPage(page, "/account/mfa-enrol"))
        {
            if (AsksForEnrolmentCode(page))
            {
                if (EnrolmentCode is null)
                {
                    return Outcome(page);
                }

                page = await PostFormAsync(page, new() { ["EnrolmentCode"] = EnrolmentCode });
                if (!IsPage(page, "/account/mfa-enrol") || AsksForEnrolmentCode(page))
                {
                    return Outcome(page);
                }
            }

            EnrolledKey = SharedKey(page.Body);
            page = await PostFormAsync(page, new() { ["Code"] = Totp(EnrolledKey) });
        }

        return Outcome(page);
    }

    /// <summary>
    /// The one-time code an administrator issued, given when the enrolment page asks for one before it
    /// shows the authenticator key; without it a sign-in that must enrol stops at that page.
    /// </summary>
    public string? EnrolmentCode { get; set; }

    private static bool AsksForEnrolmentCode(Page page) => page.Body.Contains("value=\"enrolment-code\"", StringComparison.Ordinal);

    /// <summary>Signs in at the Identity service directly and enrols an authenticator; returns its shared key.</summary>
    public async Task<string> EnrolAuthenticatorAsync(string userName, string password)
    {
        var page = await OpenEnrolmentAsync(userName, password);
        var key = SharedKey(page.Body);
        page = await PostFormAsync(page, new() { ["Code"] = Totp(key) });
        if (page.Status != HttpStatusCode.OK || IsPage(page, "/account/mfa-enrol"))
        {
            throw new InvalidOperationException($"Enrolment was refused: {Error(page.Body)}");
        }

        // Leave no sign-in behind at the Identity service.
        using var signOut = await Client.GetAsync("/identity/account/signout");
        await PostFormAsync(await ReadAsync(signOut), []);
        return key;
    }

    /// <summary>The authenticator enrolment page's HTML, after signing in at the Identity service when it asks.</summary>
    public async Task<string> OpenEnrolmentPageAsync(string userName, string password) => (await OpenEnrolmentAsync(userName, password)).Body;

    private async Task<Page> OpenEnrolmentAsync(string userName, string password)
    {
        using var start = await Client.GetAsync("/identity/account/mfa-enrol");
        var page = await ReadAsync(start);
        if (IsSignInPage(page))
        {
            page = await PostFormAsync(page, new() { ["UserName"] = userName, ["Password"] = password });
        }

        return page;
    }

    /// <summary>The signed-in user's session as <c>GET /api/session</c> describes it; null when signed out.</summary>
    public async Task<JsonElement?> GetSessionAsync()
    {
        using var response = await Client.GetAsync("/api/session");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    /// <summary>
    /// Opens <paramref name="pagePath"/> and posts <paramref name="fields"/> to <paramref name="action"/>
    /// with the anti-forgery token of that page, as the page's form would.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pagePath, string action, IReadOnlyDictionary<string, string> fields)
    {
        var page = await Client.GetStringAsync(pagePath);
        var token = FormFields(page).GetValueOrDefault(AntiForgeryField)
            ?? throw new InvalidOperationException($"{pagePath} has no anti-forgery token.");
        var form = new Dictionary<string, string>(fields) { [AntiForgeryField] = token };
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(form) };
        return await Client.SendAsync(request);
    }

    /// <summary>The current anti-forgery token (from the readable cookie), or null before <c>GET /api/session</c>.</summary>
    public string? CsrfToken => _handler.CsrfToken;

    /// <summary>Posts the sign-out form with the anti-forgery token, as the web front end's button does.</summary>
    public async Task<HttpResponseMessage> SignOutAsync(bool withToken = true)
    {
        var form = new Dictionary<string, string>();
        if (withToken && CsrfToken is { } token)
        {
            form[AntiForgeryField] = token;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/signout") { Content = new FormUrlEncodedContent(form) };
        request.Options.Set(BrowserHandler.SkipCsrfHeader, true);
        return await Client.SendAsync(request);
    }

    /// <summary>
    /// A code for <paramref name="sharedKey"/> that this test run has not entered before. The Identity
    /// service accepts each time step once per account, so when the current step's code was used the
    /// next step's code is returned: the service accepts codes up to two steps ahead (clock drift),
    /// which spares the test the wait a person would have for their app's next code.
    /// </summary>
    public static string Totp(string sharedKey)
    {
        var now = TimeStepAt(DateTimeOffset.UtcNow);
        var step = UsedSteps.AddOrUpdate(NormalisedKey(sharedKey), now, (_, last) => Math.Max(now, last + 1));
        if (step > now + 2)
        {
            throw new InvalidOperationException("More than three authenticator codes for one key within 30 seconds: the service would refuse this one.");
        }

        return Totp(sharedKey, step);
    }

    /// <summary>The code an authenticator app shows for <paramref name="sharedKey"/> during time step <paramref name="timeStep"/>.</summary>
    public static string Totp(string sharedKey, long timeStep) =>
        new Totp(Base32Encoding.ToBytes(NormalisedKey(sharedKey))).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(timeStep * TimeStepSeconds).UtcDateTime);

    /// <summary>The RFC 6238 time step (30 s) that contains <paramref name="at"/>.</summary>
    public static long TimeStepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / TimeStepSeconds;

    /// <summary>The newest time step whose code <see cref="Totp(string)"/> handed out for <paramref name="sharedKey"/>, if any.</summary>
    public static long? LastUsedStep(string sharedKey) => UsedSteps.TryGetValue(NormalisedKey(sharedKey), out var step) ? step : null;

    private static string NormalisedKey(string sharedKey) => sharedKey.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    public void Dispose() => Client.Dispose();

    private static bool IsSignInPage(Page page) => IsPage(page, "/account/signin");

    private static bool IsPage(Page page, string path) =>
        page.Address.AbsolutePath.EndsWith(path, StringComparison.OrdinalIgnoreCase) && page.Body.Contains("<form", StringComparison.Ordinal);

    private SignInOutcome Outcome(Page page) =>
        new(page.Status == HttpStatusCode.OK && page.Address.AbsolutePath == "/api/session", page.Status, page.Address, Error(page.Body), page.Body);

    private async Task<Page> PostFormAsync(Page page, Dictionary<string, string> fields)
    {
        var form = FormFields(page.Body);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, page.Address) { Content = new FormUrlEncodedContent(form) };
        using var response = await Client.SendAsync(request);
        return await ReadAsync(response);
    }

    private static async Task<Page> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, response.RequestMessage!.RequestUri!, await response.Content.ReadAsStringAsync());

    private static Dictionary<string, string> FormFields(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(html))
        {
            var attributes = Attribute().Matches(input.Value).ToDictionary(a => a.Groups["attribute"].Value, a => a.Groups["value"].Value);
            if (attributes.GetValueOrDefault("type") == "hidden" && attributes.TryGetValue("name", out var name))
            {
                fields[name] = WebUtility.HtmlDecode(attributes.GetValueOrDefault("value") ?? string.Empty);
            }
        }

        return fields;
    }

    private static string SharedKey(string html) =>
        SharedKeyPattern().Match(html) is { Success: true } match
            ? match.Groups["key"].Value
            : throw new InvalidOperationException("The enrolment page shows no shared key.");

    private static string? Error(string html) =>
        ErrorPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["text"].Value) : null;

    [GeneratedRegex("""<input\b[^>]*>""")]
    private static partial Regex InputTag();

    [GeneratedRegex("\\b(?<attribute>type|name|value)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("""data-key="(?<key>[A-Z2-7]+)""")]
    private static partial Regex SharedKeyPattern();

    [GeneratedRegex("""class="error"[^>]*>(?<text>[^<]+)<""")]
    private static partial Regex ErrorPattern();

    private sealed record Page(HttpStatusCode Status, Uri Address, string Body);
}

/// <summary>Keeps cookies, follows redirects (turning POST into GET on 302/303 like a browser) and adds the anti-forgery header.</summary>
internal sealed class BrowserHandler(CookieContainer cookies, Uri gateway) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<bool> SkipCsrfHeader = new("SkipCsrfHeader");

    public string? CsrfToken => cookies.GetCookies(gateway)["XSRF-TOKEN"]?.Value;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var hops = 0; ; hops++)
        {
            var address = request.RequestUri!;
            if (cookies.GetCookieHeader(address) is { Length: > 0 } cookieHeader)
            {
                request.Headers.Remove("Cookie");
                request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
            }

            var unsafeMethod = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
            if (unsafeMethod && !request.Options.TryGetValue(SkipCsrfHeader, out _) && CsrfToken is { } token
                && (!address.AbsolutePath.StartsWith("/identity/", StringComparison.Ordinal) || address.AbsolutePath.StartsWith("/identity/api/", StringComparison.Ordinal)))
            {
                request.Headers.Remove("X-CSRF-TOKEN");
                request.Headers.TryAddWithoutValidation("X-CSRF-TOKEN", token);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    cookies.SetCookies(address, setCookie);
                }
            }

            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is null || hops >= 20)
            {
                response.RequestMessage = request;
                return response;
            }

            var next = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(address, response.Headers.Location);
            var keepMethod = status is 307 or 308;
            var redirected = new HttpRequestMessage(keepMethod ? request.Method : HttpMethod.Get, next);
            if (keepMethod)
            {
                redirected.Content = request.Content;
            }

            foreach (var header in request.Headers.Where(h => h.Key is "User-Agent" or "Accept"))
            {
                redirected.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Dispose();
            request = redirected;
        }
    }
}
