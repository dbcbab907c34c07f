namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// An authenticator code opens one sign-in: the Identity service remembers each account's newest
/// used time step in its database. Codes are computed for explicit time steps (the service accepts
/// up to two steps ahead), so nothing waits for the clock.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AuthenticatorReplayTests(CareMessagingStack stack)
{
    [Fact]
    public async Task A_code_signs_in_once_a_second_use_is_refused_like_a_wrong_code_and_the_next_steps_code_works()
    {
        var patient = DemoUsers.Patients[^2];
        using var enrolment = GatewayBrowser.For(stack);
        var key = await enrolment.EnrolAuthenticatorAsync(patient.UserName, DemoUsers.Password);
        var enrolmentStep = GatewayBrowser.LastUsedStep(key)!.Value;
        var code = GatewayBrowser.Totp(key, enrolmentStep + 1);

        using var first = GatewayBrowser.For(stack);
        var signedIn = await first.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, code);
        using var second = GatewayBrowser.For(stack);
        var replayed = await second.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, code);
        using var third = GatewayBrowser.For(stack);
        var wrong = await third.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, WrongCode(key, enrolmentStep));
        using var fourth = GatewayBrowser.For(stack);
        var nextStep = await fourth.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, GatewayBrowser.Totp(key, enrolmentStep + 2));

        Assert.True(signedIn.SignedIn, signedIn.Error);
        Assert.False(replayed.SignedIn);
        Assert.EndsWith("/identity/account/mfa", replayed.FinalAddress.AbsolutePath);
        // Nothing tells a replay apart from a mistyped code.
        Assert.False(wrong.SignedIn);
        Assert.NotNull(wrong.Error);
        Assert.Equal(wrong.Status, replayed.Status);
        Assert.Equal(wrong.Error, replayed.Error);
        Assert.True(nextStep.SignedIn, nextStep.Error);
    }

    [Fact]
    public async Task The_code_that_confirmed_enrolment_cannot_sign_in()
    {
        var patient = DemoUsers.Patients[^3];
        using var enrolment = GatewayBrowser.For(stack);
        var key = await enrolment.EnrolAuthenticatorAsync(patient.UserName, DemoUsers.Password);
        var enrolmentStep = GatewayBrowser.LastUsedStep(key)!.Value;

        using var replay = GatewayBrowser.For(stack);
        var replayed = await replay.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, GatewayBrowser.Totp(key, enrolmentStep));
        using var older = GatewayBrowser.For(stack);
        var olderStep = await older.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, GatewayBrowser.Totp(key, enrolmentStep - 1));
        using var next = GatewayBrowser.For(stack);
        var nextStep = await next.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, GatewayBrowser.Totp(key, enrolmentStep + 1));

        Assert.False(replayed.SignedIn);
        Assert.EndsWith("/identity/account/mfa", replayed.FinalAddress.AbsolutePath);
        // A code from before the newest used one is refused too, though it is within the clock-drift window.
        Assert.False(olderStep.SignedIn);
        Assert.True(nextStep.SignedIn, nextStep.Error);
    }

    [Fact]
    public async Task Sign_ins_racing_with_the_same_code_let_exactly_one_in()
    {
        var patient = DemoUsers.Patients[^4];
        using var enrolment = GatewayBrowser.For(stack);
        var key = await enrolment.EnrolAuthenticatorAsync(patient.UserName, DemoUsers.Password);
        var code = GatewayBrowser.Totp(key, GatewayBrowser.LastUsedStep(key)!.Value + 1);
        var browsers = Enumerable.Range(0, 4).Select(_ => GatewayBrowser.For(stack)).ToList();

        try
        {
            var outcomes = await Task.WhenAll(browsers.Select(browser => browser.TrySignInWithCodeAsync(patient.UserName, DemoUsers.Password, code)))
                .WaitAsync(TestTimeouts.Request);

            Assert.Single(outcomes, outcome => outcome.SignedIn);
        }
        finally
        {
            browsers.ForEach(browser => browser.Dispose());
        }
    }

    /// <summary>A six-digit code that is none of the key's codes near now.</summary>
    private static string WrongCode(string key, long step)
    {
        var valid = Enumerable.Range(-3, 7).Select(offset => GatewayBrowser.Totp(key, step + offset)).ToHashSet();
        return Enumerable.Range(0, 10).Select(digit => new string((char)('0' + digit), 6)).First(candidate => !valid.Contains(candidate));
    }
}
