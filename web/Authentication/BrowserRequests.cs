using Microsoft.Net.Http.Headers;

namespace CareMessaging.Web.Authentication;

/// <summary>Tells a page request from a browser apart from a script's fetch or an API client.</summary>
public static class BrowserRequests
{
    /// <summary>The header the front end's scripts send, so that they get status codes rather than pages or redirects.</summary>
    public const string FetchHeader = "X-CareMessaging-Fetch";

    /// <summary>A browser navigating to a page: it accepts HTML and is not one of our scripts.</summary>
    public static bool IsPageNavigation(this HttpRequest request) =>
        !request.IsFetch() && request.GetTypedHeaders().Accept.Any(accept =>
            accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    public static bool IsFetch(this HttpRequest request) => request.Headers.ContainsKey(FetchHeader);

    /// <summary>The path and query of this request, to come back to after signing in.</summary>
    public static string ReturnUrl(this HttpRequest request) =>
        $"{request.PathBase}{request.Path}{request.QueryString}";

    public static string SignInUrl(string returnUrl) =>
        "/signin" + QueryString.Create("returnUrl", returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");

    internal static bool AcceptsHtml(this HttpContext context) =>
        context.Request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        && !context.Request.Headers[HeaderNames.Accept].ToString().Contains("application/problem+json", StringComparison.OrdinalIgnoreCase);
}
