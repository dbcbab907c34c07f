using System.Text.Json;
using System.Text.Json.Serialization;

namespace CareMessaging.Contracts.Identity;

/// <summary>
/// How the web front end's "Signed-in sessions" page and the gateway, which owns the sessions,
/// talk (docs/decisions/0048). On a request for <see cref="Path"/> the gateway puts the signed-in
/// user's sessions in <see cref="SessionsHeader"/>; the page's form post answers with
/// <see cref="EndHeader"/>, and the gateway ends what it names among that user's own sessions.
/// Both headers exist only between the gateway and the web app: the gateway drops them from the
/// browser's requests and from the web app's responses. Sessions are named by a
/// <see cref="SignedInSession.Handle"/>, never by their id, so no page, form or address holds one.
/// </summary>
public static class SessionPage
{
    public const string Path = "/account/sessions";

    /// <summary>Gateway to web: the user's sessions, <see cref="Write"/>'s JSON in base64url.</summary>
    public const string SessionsHeader = "X-CareMessaging-Sessions";

    /// <summary>Web to gateway: a session's handle, or <see cref="AllOthers"/>.</summary>
    public const string EndHeader = "X-CareMessaging-End-Sessions";

    /// <summary>Every session of the user but the one the request came from.</summary>
    public const string AllOthers = "others";

    public static string Write(IReadOnlyList<SignedInSession> sessions) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(sessions, SessionPageJson.Default.IReadOnlyListSignedInSession));

    /// <summary>The sessions the gateway sent, or null when the header is missing or not the gateway's.</summary>
    public static IReadOnlyList<SignedInSession>? Read(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            var padded = header.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            return JsonSerializer.Deserialize(Convert.FromBase64String(padded), SessionPageJson.Default.IReadOnlyListSignedInSession);
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A session's handle: a digest of its id, so the page can name a session without holding the id.</summary>
    public static string HandleOf(string sessionId) =>
        Base64Url(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sessionId)))[..22];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>One of the user's signed-in sessions, as the "Signed-in sessions" page shows it.</summary>
/// <param name="Device">The browser and system in words ("Chrome on Windows"), from the user agent.</param>
/// <param name="Address">The network address the session signed in from.</param>
public sealed record SignedInSession(string Handle, bool Current, string Device, string? Address, DateTimeOffset SignedInAt, DateTimeOffset LastSeenAt);

[JsonSerializable(typeof(IReadOnlyList<SignedInSession>))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SessionPageJson : JsonSerializerContext;
