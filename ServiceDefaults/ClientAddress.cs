using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// The address of the person's device, as audit records and rate limits name it: the entry the
/// gateway added to <c>X-Forwarded-For</c> (the last one: entries before it come from the client and
/// prove nothing) when the peer is a trusted proxy (<see cref="TrustedProxies"/>), otherwise the
/// connection's peer (a caller that is not the gateway, or a service whose forwarded-headers
/// middleware has already applied the header).
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

        var peer = context.Connection.RemoteIpAddress;
        var forwarded = context.Request.Headers[ForwardedForHeader].ToString();
        if (peer is not null && forwarded.Length > 0 && TrustedProxies.IsTrusted(context, peer) && forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is [.., var last]
            && IPAddress.TryParse(last, out var address))
        {
            return address.ToString();
        }

        return peer?.ToString();
    }
}
