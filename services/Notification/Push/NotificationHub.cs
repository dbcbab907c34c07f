using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CareMessaging.Notification.Push;

/// <summary>
/// The real-time channel to signed-in users: server-to-client only. The gateway relays the user's
/// access token in the Authorization header, WebSocket upgrade included; connections are grouped
/// by the token's <c>sub</c> claim (<see cref="SubjectUserIdProvider"/>).
/// </summary>
[Authorize]
public sealed class NotificationHub : Hub;

/// <summary>Identifies a connection's user as <see cref="CareMessagingCaller.UserId"/> (the <c>sub</c> claim).</summary>
public sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        CareMessagingCaller.From(connection.User) is { UserId.Length: > 0 } caller ? caller.UserId : null;
}
