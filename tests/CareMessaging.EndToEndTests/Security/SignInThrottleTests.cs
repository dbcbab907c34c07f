using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.EndToEndTests.Identity;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// Wrong passwords slow down the address they come from instead of locking the account: an outsider
/// who knows a user name can neither throw its owner out of a session nor keep the owner from
/// signing in elsewhere, and the attack is recorded for the audit trail (ADR 0026).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SignInThrottleTests(CareMessagingStack stack)
{
    private const string OwnerAddress = "198.51.100.20";
    private const string AttackerAddress = "203.0.113.66";

    [Fact]
    public async Task Wrong_passwords_from_an_outsider_neither_end_the_owners_session_nor_lock_the_owner_out()
    {
        var owner = DemoUsers.Patients[15];
        await using var gateway = await GatewayHost.StartAsync(stack);
        await using var events = await IdentityEventProbe.StartAsync(stack);
        using var ownersDesk = gateway.CreateBrowser(OwnerAddress);
        await ownersDesk.SignInAsync(owner.UserName, DemoUsers.Password);

        using var attacker = gateway.CreateBrowser(AttackerAddress);
        var attempts = new List<SignInOutcome>();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            attempts.Add(await attacker.TrySignInAsync(owner.UserName, $"Guess-{attempt}-{Guid.NewGuid():N}"));
        }

        // The relayed token is due for a refresh: the session lives on through it.
        gateway.Clock.Advance(TimeSpan.FromMinutes(6));
        using var relayed = await ownersDesk.Client.GetAsync("/identity/api/account");
        using var ownersPhone = gateway.CreateBrowser(OwnerAddress);
        var ownerSignsInAgain = await ownersPhone.TrySignInAsync(owner.UserName, DemoUsers.Password);
        var attackerWithTheRightPassword = await attacker.TrySignInAsync(owner.UserName, DemoUsers.Password);

        Assert.All(attempts, outcome => Assert.False(outcome.SignedIn));
        Assert.Equal(HttpStatusCode.OK, relayed.StatusCode);
        Assert.NotNull(await ownersDesk.GetSessionAsync());
        Assert.True(ownerSignsInAgain.SignedIn, $"The owner could not sign in: {ownerSignsInAgain.Error}");
        Assert.False(attackerWithTheRightPassword.SignedIn);
        Assert.Equal(HttpStatusCode.TooManyRequests, attackerWithTheRightPassword.Status);
        var throttled = await events.WaitForAsync("SignInThrottled", owner.UserId);
        Assert.Equal(AttackerAddress, throttled.GetProperty("clientIp").GetString());
        Assert.True(throttled.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_unknown_user_name_is_slowed_down_exactly_like_a_real_one()
    {
        await using var gateway = await GatewayHost.StartAsync(stack);
        using var attacker = gateway.CreateBrowser("203.0.113.67");
        var real = DemoUsers.Patients[16].UserName;
        var unknown = $"p-{Random.Shared.Next(900000, 999999)}";

        var againstReal = new List<SignInOutcome>();
        var againstUnknown = new List<SignInOutcome>();
        for (var attempt = 0; attempt < 7; attempt++)
        {
            againstReal.Add(await attacker.TrySignInAsync(real, $"Guess-{attempt}-{Guid.NewGuid():N}"));
            againstUnknown.Add(await attacker.TrySignInAsync(unknown, $"Guess-{attempt}-{Guid.NewGuid():N}"));
        }

        Assert.Equal(againstReal.Select(o => o.Status), againstUnknown.Select(o => o.Status));
        Assert.Equal(againstReal.Select(o => o.Error), againstUnknown.Select(o => o.Error));
        Assert.Contains(HttpStatusCode.TooManyRequests, againstReal.Select(o => o.Status));
    }
}
