using System.Net;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.UnitTests.ServiceDefaults;

/// <summary>Only the gateway may say where a request came from: X-Forwarded-For from any other peer is ignored.</summary>
public sealed class ClientAddressTests
{
    [Fact]
    public void A_forwarded_address_from_a_peer_that_is_not_a_trusted_proxy_is_ignored()
    {
        var context = Request(peer: "10.20.30.40", forwardedFor: "6.6.6.6");

        Assert.Equal("10.20.30.40", ClientAddress.Of(context));
    }

    [Fact]
    public void The_gateways_entry_is_taken_and_entries_the_client_wrote_before_it_are_not()
    {
        var context = Request(peer: "127.0.0.1", forwardedFor: "6.6.6.6, 198.51.100.7");

        Assert.Equal("198.51.100.7", ClientAddress.Of(context));
    }

    private static DefaultHttpContext Request(string peer, string forwardedFor, IServiceProvider? services = null)
    {
        var context = new DefaultHttpContext { RequestServices = services ?? new ServiceCollection().BuildServiceProvider() };
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers[ClientAddress.ForwardedForHeader] = forwardedFor;
        return context;
    }
}
