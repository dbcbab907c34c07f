extern alias identity;

using System.Net;
using System.Net.Http.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using EnrolmentPage = identity::CareMessaging.Identity.Pages.Account.MfaEnrolModel;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// Where enrolment codes are required (every deployment; ADR 0029), the password alone does not
/// enrol an authenticator: an administrator issues a one-time code, which works once, for one
/// account, until it expires. An Identity replica with a deployment's settings runs beside the
/// stack's, on the same database, so the stack's local runs and other tests keep enrolling freely.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class EnrolmentCodeTests(CareMessagingStack stack)
{
    private static readonly Dictionary<string, string?> AsDeployed = new()
    {
        ["Identity:Enrolment:RequireCode"] = "true",
        ["Identity:RequireMfaForStaff"] = "true",
    };

    private static string CareTeam => DemoUsers.CareTeams[0];

    [Fact]
    public async Task The_password_alone_shows_no_authenticator_key_enrols_nothing_and_starts_no_session()
    {
        await using var identity = await IdentityHost.StartAsync(stack, AsDeployed);
        var (userId, userName) = await identity.CreateClinicianAsync(CareTeam);

        using var browser = identity.CreateBrowser();
        var passwordOnly = await browser.TrySignInAsync(userName, DemoUsers.Password);
        using var guessing = identity.CreateBrowser();
        guessing.EnrolmentCode = "K7QM-2XWD-9HTR-C4PB-N6VE";
        var guessed = await guessing.TrySignInAsync(userName, DemoUsers.Password);

        Assert.False(passwordOnly.SignedIn);
        Assert.EndsWith("/identity/account/mfa-enrol", passwordOnly.FinalAddress.AbsolutePath);
        Assert.Contains("Enrolment code", passwordOnly.Body);
        Assert.DoesNotContain("data-key=", passwordOnly.Body);
        Assert.DoesNotContain("class=\"qr\"", passwordOnly.Body);
        Assert.False(guessed.SignedIn);
        Assert.Equal(EnrolmentPage.WrongCode, guessed.Error);
        Assert.Null(await browser.GetSessionAsync());
        Assert.Null(await guessing.GetSessionAsync());
        Assert.False(await TwoFactorEnabledAsync(identity, userId));
    }

    [Fact]
    public async Task An_administrators_code_enrols_once_and_opens_a_session_and_a_newer_code_replaces_it()
    {
        await using var identity = await IdentityHost.StartAsync(stack, AsDeployed);
        await using var events = await IdentityEventProbe.StartAsync(stack);
        var (userId, userName) = await identity.CreateClinicianAsync(CareTeam);
        using var admin = await GatewaySession.SignInAsync(stack, DemoUsers.Admin);
        var replaced = await IssueCodeAsync(admin, userId);
        var issued = await IssueCodeAsync(admin, userId);

        using var withReplacedCode = identity.CreateBrowser();
        withReplacedCode.EnrolmentCode = replaced.Code;
        var refused = await withReplacedCode.TrySignInAsync(userName, DemoUsers.Password);
        using var browser = identity.CreateBrowser();
        // As someone reads it out: lower case, spaces for dashes.
        browser.EnrolmentCode = issued.Code.ToLowerInvariant().Replace('-', ' ');
        var enrolled = await browser.TrySignInAsync(userName, DemoUsers.Password);
        var session = await browser.GetSessionAsync();

        Assert.False(refused.SignedIn);
        Assert.Equal(EnrolmentPage.WrongCode, refused.Error);
        Assert.True(enrolled.SignedIn, enrolled.Error);
        Assert.Equal(userId, session!.Value.GetProperty("userId").GetString());
        Assert.True(await TwoFactorEnabledAsync(identity, userId));
        Assert.Equal(DemoUsers.Admin.UserId, (await events.WaitForAsync("EnrolmentCodeUsed", userId)).GetProperty("issuedBy").GetString());
        Assert.Equal(EnrolmentCodeRefusal.Wrong, (EnrolmentCodeRefusal)(await events.WaitForAsync("EnrolmentCodeRefused", userId)).GetProperty("reason").GetInt32());

        // The phone is lost: the administrator resets the authenticator, and the spent code cannot enrol another.
        using var reset = await admin.DeleteAsync($"/identity/api/admin/users/{userId}/authenticator");
        using var again = identity.CreateBrowser();
        again.EnrolmentCode = issued.Code;
        var reused = await again.TrySignInAsync(userName, DemoUsers.Password);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.False(reused.SignedIn);
        Assert.Equal(EnrolmentPage.UsedCode, reused.Error);
        Assert.False(await TwoFactorEnabledAsync(identity, userId));
        await events.WaitForAsync("AuthenticatorReset", userId);
    }

    [Fact]
    public async Task A_code_past_its_lifetime_is_refused_as_expired()
    {
        await using var identity = await IdentityHost.StartAsync(stack, AsDeployed);
        var (userId, userName) = await identity.CreateClinicianAsync(CareTeam);
        using var admin = await GatewaySession.SignInAsync(stack, DemoUsers.Admin);
        var issued = await IssueCodeAsync(admin, userId);

        identity.Clock.Offset = issued.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        using var browser = identity.CreateBrowser();
        browser.EnrolmentCode = issued.Code;
        var outcome = await browser.TrySignInAsync(userName, DemoUsers.Password);

        Assert.InRange(issued.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(71), TimeSpan.FromHours(72));
        Assert.False(outcome.SignedIn);
        Assert.Equal(EnrolmentPage.ExpiredCode, outcome.Error);
        Assert.False(await TwoFactorEnabledAsync(identity, userId));
    }

    [Fact]
    public async Task Wrong_codes_are_slowed_down_like_wrong_passwords_until_even_the_right_code_waits()
    {
        await using var identity = await IdentityHost.StartAsync(stack, AsDeployed);
        var (userId, userName) = await identity.CreateClinicianAsync(CareTeam);
        using var admin = await GatewaySession.SignInAsync(stack, DemoUsers.Admin);
        var issued = await IssueCodeAsync(admin, userId);

        var guesses = new List<SignInOutcome>();
        foreach (var guess in Enumerable.Range(0, 6))
        {
            using var guessing = identity.CreateBrowser();
            guessing.EnrolmentCode = $"K7QM-2XWD-9HTR-C4PB-N6V{guess}";
            guesses.Add(await guessing.TrySignInAsync(userName, DemoUsers.Password));
        }

        using var owner = identity.CreateBrowser();
        owner.EnrolmentCode = issued.Code;
        var waiting = await owner.TrySignInAsync(userName, DemoUsers.Password);

        Assert.All(guesses, guess => Assert.Equal(EnrolmentPage.WrongCode, guess.Error));
        Assert.False(waiting.SignedIn);
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.Status);
        Assert.Equal(EnrolmentPage.TooManyCodes, waiting.Error);
        Assert.False(await TwoFactorEnabledAsync(identity, userId));
    }

    [Fact]
    public async Task Only_an_administrator_issues_codes_or_resets_authenticators_and_an_unknown_account_is_404()
    {
        var target = DemoUsers.InRole(Roles.Nurse)[0].UserId;
        using var clinician = await GatewaySession.SignInAsync(stack, DemoUsers.InRole(Roles.Clinician)[0]);
        using var compliance = await GatewaySession.SignInAsync(stack, DemoUsers.ComplianceOfficer);
        using var admin = await GatewaySession.SignInAsync(stack, DemoUsers.Admin);

        using var byClinician = await clinician.PostAsync($"/identity/api/admin/users/{target}/enrolment-code", null);
        using var resetByClinician = await clinician.DeleteAsync($"/identity/api/admin/users/{target}/authenticator");
        using var byCompliance = await compliance.PostAsync($"/identity/api/admin/users/{target}/enrolment-code", null);
        using var unknown = await admin.PostAsync($"/identity/api/admin/users/{Guid.NewGuid()}/enrolment-code", null);
        using var resetUnknown = await admin.DeleteAsync($"/identity/api/admin/users/{Guid.NewGuid()}/authenticator");

        Assert.Equal(HttpStatusCode.Forbidden, byClinician.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, resetByClinician.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCompliance.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, resetUnknown.StatusCode);
    }

    private static async Task<IssuedEnrolmentCode> IssueCodeAsync(HttpClient admin, string userId)
    {
        using var response = await admin.PostAsync($"/identity/api/admin/users/{userId}/enrolment-code", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.Content.ReadFromJsonAsync<IssuedEnrolmentCode>())!;
    }

    private static async Task<bool> TwoFactorEnabledAsync(IdentityHost identity, string userId)
    {
        await using var scope = identity.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return await users.GetTwoFactorEnabledAsync((await users.FindByIdAsync(userId))!);
    }
}
