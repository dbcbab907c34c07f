using System.Net;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// A sign-in that comes back broken (no state, a forged or stale one) or a crafted return address
/// never ends on an error: the browser is sent back to sign in, with a message saying why.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SignInCallbackTests(CareMessagingStack stack)
{
    [Theory]
    [InlineData("/signin-oidc")]
    [InlineData("/signin-oidc?state=forged&code=forged")]
    [InlineData("/signin-oidc?error=access_denied&state=forged")]
    public async Task A_sign_in_callback_with_a_missing_or_forged_state_sends_the_browser_back_to_sign_in(string callback)
    {
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = stack.CreateGatewayClient().BaseAddress };
        using var browser = GatewayBrowser.For(stack);

        using var response = await raw.GetAsync(callback);
        using var followed = await browser.Client.GetAsync(callback);
        var page = await followed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin?", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
        Assert.EndsWith("/identity/account/signin", followed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("did not finish", page);
    }

    [Theory]
    [InlineData("/api/session?from=caf%C3%A9")]
    [InlineData("/api/session?ward=%E6%B1%89%E5%AD%97")]
    public async Task A_return_address_with_non_ascii_characters_still_signs_in(string returnUrl)
    {
        using var browser = GatewayBrowser.For(stack);

        var outcome = await browser.TrySignInAsync(DemoUsers.Patients[23].UserName, DemoUsers.Password,
            signInPath: "/signin?returnUrl=" + Uri.EscapeDataString(Uri.UnescapeDataString(returnUrl)));

        Assert.True(outcome.SignedIn, $"{(int)outcome.Status} at {outcome.FinalAddress}: {outcome.Body[..Math.Min(300, outcome.Body.Length)]}");
    }
}
