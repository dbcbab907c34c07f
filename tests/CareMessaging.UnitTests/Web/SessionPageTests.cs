using CareMessaging.Contracts.Identity;

namespace CareMessaging.UnitTests.Web;

/// <summary>What the gateway tells the sessions page, and how the page names a session.</summary>
public sealed class SessionPageTests
{
    [Fact]
    public void The_session_list_reads_back_as_the_gateway_wrote_it()
    {
        SignedInSession[] sessions =
        [
            new(SessionPage.HandleOf("a1b2c3d4e5f6"), true, "Chrome on Windows", "10.1.2.3", DateTimeOffset.Parse("2026-12-01T08:00:00Z"), DateTimeOffset.Parse("2026-12-01T09:30:00Z")),
            new(SessionPage.HandleOf("f6e5d4c3b2a1"), false, "Safari on iOS", null, DateTimeOffset.Parse("2026-11-30T18:00:00Z"), DateTimeOffset.Parse("2026-11-30T18:05:00Z")),
        ];

        Assert.Equal(sessions, SessionPage.Read(SessionPage.Write(sessions)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("eyJub3QiOiJhIGxpc3QifQ")]
    public void Anything_but_the_gateways_list_is_no_list(string? header) =>
        Assert.Null(SessionPage.Read(header));

    [Fact]
    public void A_handle_names_one_session_without_holding_its_id()
    {
        var handle = SessionPage.HandleOf("0123456789abcdef0123456789abcdef");

        Assert.Equal(handle, SessionPage.HandleOf("0123456789abcdef0123456789abcdef"));
        Assert.NotEqual(handle, SessionPage.HandleOf("0123456789abcdef0123456789abcdee"));
        Assert.DoesNotContain("0123456789abcdef", handle, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", handle);
    }
}
