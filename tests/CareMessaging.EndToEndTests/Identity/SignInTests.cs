using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Identity;

[Collection(StackCollection.Name)]
public sealed class SignInTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Staff_member_signs_in_through_the_gateway_and_the_session_states_their_claims()
    {
        var nurse = DemoUsers.InRole(Roles.Nurse).First(u => u.CareTeams.Count > 1);
        using var browser = GatewayBrowser.For(stack);

        await browser.SignInAsync(nurse.UserName, DemoUsers.Password);
        var session = (await browser.GetSessionAsync())!.Value;

        Assert.Equal(nurse.UserId, session.GetProperty("userId").GetString());
        Assert.Equal(nurse.DisplayName, session.GetProperty("name").GetString());
        Assert.Equal(Roles.Nurse, session.GetProperty("role").GetString());
        Assert.Equal(nurse.CareTeams.Order(), session.GetProperty("careTeams").EnumerateArray().Select(t => t.GetString()!).Order());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("patientId").ValueKind);
        var started = session.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(12), session.GetProperty("absoluteExpiresAt").GetDateTimeOffset() - started);
        Assert.InRange(session.GetProperty("idleExpiresAt").GetDateTimeOffset() - started, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(16));
        Assert.False(string.IsNullOrEmpty(session.GetProperty("csrfToken").GetString()));
    }

    [Fact]
    public async Task The_relayed_access_token_reaches_a_service_with_the_users_claims()
    {
        var patient = DemoUsers.Patients[0];
        using var client = await GatewaySession.SignInAsync(stack, patient);

        var account = await client.GetFromJsonAsync<JsonElement>("/identity/api/account");
        var session = await client.GetFromJsonAsync<JsonElement>("/api/session");

        Assert.Equal(patient.UserId, account.GetProperty("userId").GetString());
        Assert.Equal(patient.DisplayName, account.GetProperty("name").GetString());
        Assert.Equal(Roles.Patient, account.GetProperty("role").GetString());
        Assert.Equal(patient.PatientId, account.GetProperty("patientId").GetString());
        Assert.Empty(account.GetProperty("careTeams").EnumerateArray());
        // The token's session id (sid) is the gateway session's id, so audit records line up.
        Assert.Equal(session.GetProperty("sessionId").GetString(), account.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_answer()
    {
        var clinician = DemoUsers.InRole(Roles.Clinician)[0];
        using var browser = GatewayBrowser.For(stack);
        var unknown = await browser.TrySignInAsync($"nobody-{Guid.NewGuid():N}", "Not-the-password-1");
        var wrong = await browser.TrySignInAsync(clinician.UserName, $"Wrong-{Guid.NewGuid():N}");

        Assert.False(unknown.SignedIn);
        Assert.False(wrong.SignedIn);
        Assert.Equal(wrong.Status, unknown.Status);
        Assert.Equal(wrong.Error, unknown.Error);
        Assert.NotNull(unknown.Error);
        Assert.DoesNotContain("unknown", unknown.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Failures_past_the_free_ones_make_that_address_wait_so_even_the_right_password_is_refused_there()
    {
        var patient = DemoUsers.Patients[^1];
        using var browser = GatewayBrowser.For(stack);
        await using var events = await IdentityEventProbe.StartAsync(stack);

        var failures = new List<SignInOutcome>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            failures.Add(await browser.TrySignInAsync(patient.UserName, $"Wrong-password-{attempt}"));
        }

        var whileWaiting = await browser.TrySignInAsync(patient.UserName, DemoUsers.Password);

        Assert.All(failures, failure => Assert.False(failure.SignedIn));
        Assert.False(whileWaiting.SignedIn);
        Assert.Equal(HttpStatusCode.TooManyRequests, whileWaiting.Status);
        var throttled = await events.WaitForAsync("SignInThrottled", patient.UserId);
        Assert.True(throttled.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        await events.WaitForAsync("SignInFailed", patient.UserId);
        Assert.DoesNotContain(events.RawMessages, raw => raw.Contains("Wrong-password", StringComparison.Ordinal) || raw.Contains(DemoUsers.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Repeated_attempts_on_one_user_name_are_rate_limited()
    {
        using var browser = GatewayBrowser.For(stack);
        var userName = $"probe-{Guid.NewGuid():N}";
        var statuses = new List<HttpStatusCode>();

        for (var attempt = 0; attempt < 22; attempt++)
        {
            statuses.Add((await browser.TrySignInAsync(userName, "Not-the-password-1")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task An_enrolled_authenticator_is_asked_for_and_a_wrong_code_is_refused()
    {
        var staff = DemoUsers.InRole(Roles.Staff)[^1];
        using var enrolment = GatewayBrowser.For(stack);
        var key = await enrolment.EnrolAuthenticatorAsync(staff.UserName, DemoUsers.Password);

        using var withoutCode = GatewayBrowser.For(stack);
        var refused = await withoutCode.TrySignInAsync(staff.UserName, DemoUsers.Password, totpKey: null);
        using var withWrongKey = GatewayBrowser.For(stack);
        var wrong = await withWrongKey.TrySignInAsync(staff.UserName, DemoUsers.Password, totpKey: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        using var client = await GatewaySession.SignInAsync(stack, staff.UserName, DemoUsers.Password, key);

        Assert.False(refused.SignedIn);
        Assert.EndsWith("/identity/account/mfa", refused.FinalAddress.AbsolutePath);
        Assert.False(wrong.SignedIn);
        Assert.NotNull(wrong.Error);
        var account = await client.GetFromJsonAsync<JsonElement>("/identity/api/account");
        Assert.True(account.GetProperty("mfaEnabled").GetBoolean());
        Assert.Equal(staff.UserId, account.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task The_enrolment_page_shows_a_qr_code_and_the_shared_key_without_script()
    {
        var patient = DemoUsers.Patients[1];
        using var browser = GatewayBrowser.For(stack);

        var page = await browser.OpenEnrolmentPageAsync(patient.UserName, DemoUsers.Password);

        Assert.Matches("<img class=\"qr\" src=\"data:image/png;base64,[A-Za-z0-9+/=&#;]+\" alt=\"[^\"]+\"", page);
        Assert.Matches("id=\"shared-key\" data-key=\"[A-Z2-7]{16,}\"", page);
        Assert.Contains("<label for=\"Code\">", page);
        Assert.Contains("__RequestVerificationToken", page);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_authorization_request_with_an_unregistered_redirect_uri_is_refused()
    {
        using var client = stack.CreateGatewayClient();
        var query = "client_id=gateway&response_type=code&scope=openid%20caremessaging.api"
            + "&redirect_uri=" + Uri.EscapeDataString("https://attacker.example/signin-oidc")
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s&nonce=n";

        using var response = await client.GetAsync("/identity/connect/authorize?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_a_replayed_cookie_is_refused()
    {
        var clinician = DemoUsers.InRole(Roles.Clinician)[1];
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(clinician.UserName, DemoUsers.Password);
        Assert.NotNull(await browser.GetSessionAsync());
        var stolenCookie = browser.Cookies.GetCookieHeader(browser.Client.BaseAddress!);

        using var signOut = await browser.SignOutAsync();

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Null(await browser.GetSessionAsync());
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/session");
        replay.Headers.Add("Cookie", stolenCookie);
        using var anonymous = stack.CreateGatewayClient();
        using var replayed = await anonymous.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
    }

    [Fact]
    public async Task Sign_out_without_the_anti_forgery_token_is_refused_and_the_session_lives_on()
    {
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(DemoUsers.Patients[2].UserName, DemoUsers.Password);
        await browser.GetSessionAsync();

        using var signOut = await browser.SignOutAsync(withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.NotNull(await browser.GetSessionAsync());
    }
}
