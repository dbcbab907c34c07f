using System.Net;
using Microsoft.AspNetCore.Http;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// The address of the person's device, as audit records and rate limits name it: the entry the
/// gateway added to <c>X-Forwarded-For</c> (the last one: entries before it come from the client and
/// prove nothing), or the connection's peer when there is no such header (a service reached
/// directly, or one whose forwarded-headers middleware has already applied it).
/// </summary>
public static class ClientAddress
{
    public const string ForwardedForHeader = "X-Forwarded-For";

    public static string? Of(HttpContext? context)
    {
        if (context is null)
        {
            return null;
        }

        var forwarded = context.Request.Headers[ForwardedForHeader].ToString();
        if (forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is [.., var last]
            && IPAddress.TryParse(last, out var address))
        {
            return address.ToString();
        }

        return context.Connection.RemoteIpAddress?.ToString();
    }
}
