extern alias gateway;

using gateway::CareMessaging.Gateway.Apis;
using gateway::CareMessaging.Gateway.Security;
using gateway::CareMessaging.Gateway.Sessions;

namespace CareMessaging.UnitTests.Identity;

public sealed class GatewaySignInTests
{
    [Theory]
    [InlineData("/inbox", "/inbox")]
    [InlineData("/conversations/42?tab=unread", "/conversations/42?tab=unread")]
    [InlineData("https://attacker.example/", "/")]
    [InlineData("//attacker.example/", "/")]
    [InlineData("/\\attacker.example/", "/")]
    [InlineData("inbox", "/")]
    [InlineData(null, "/")]
    public void Sign_in_returns_only_to_a_path_on_this_site(string? requested, string expected) =>
        Assert.Equal(expected, SignInApi.SafeReturnUrl(requested));

    [Fact]
    public void Browser_redirects_go_to_the_public_issuer_when_metadata_is_read_internally()
    {
        var addresses = new ProviderAddresses("http://localhost:8400/identity/", "http://localhost:5105/identity/.well-known/openid-configuration");

        Assert.Equal("http://localhost:8400/identity/connect/authorize", addresses.ForBrowser("http://localhost:5105/identity/connect/authorize"));
        Assert.Equal("https://login.hospital.example/authorize", addresses.ForBrowser("https://login.hospital.example/authorize"));
    }

    [Fact]
    public void A_provider_read_at_its_public_address_is_left_alone()
    {
        var addresses = new ProviderAddresses("https://login.hospital.example/realms/staff/", null);

        Assert.Equal("https://login.hospital.example/realms/staff/auth", addresses.ForBrowser("https://login.hospital.example/realms/staff/auth"));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36", "Chrome on Windows")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux")]
    [InlineData(null, "Unknown device")]
    public void The_session_list_names_the_browser_and_system(string? userAgent, string expected) =>
        Assert.Equal(expected, DeviceDescription.From(userAgent));
}
