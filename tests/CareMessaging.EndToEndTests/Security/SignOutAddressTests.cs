using System.Net;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>Signing out never puts the ID token, and with it the user's name, role and patient ID, into an address.</summary>
[Collection(StackCollection.Name)]
public sealed class SignOutAddressTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Signing_out_keeps_the_id_token_and_patient_data_out_of_every_address()
    {
        var patient = DemoUsers.Patients[25];
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(patient.UserName, DemoUsers.Password);
        await browser.GetSessionAsync();
        using var raw = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = browser.Client.BaseAddress,
        };
        var addresses = new List<Uri>();

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = browser.CsrfToken! });
        var response = await raw.PostAsync("/signout", form);
        for (var hop = 0; hop < 10 && response.Headers.Location is { } location; hop++)
        {
            var next = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
            addresses.Add(next);
            response.Dispose();
            response = await raw.GetAsync(next);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        response.Dispose();
        Assert.NotEmpty(addresses);
        foreach (var address in addresses.Select(a => Uri.UnescapeDataString(a.ToString())))
        {
            Assert.DoesNotContain("id_token_hint", address);
            Assert.DoesNotMatch(@"eyJ[A-Za-z0-9_-]+\.eyJ", address);
            Assert.DoesNotContain(patient.PatientId!, address);
            Assert.DoesNotContain(patient.DisplayName, address);
        }

        Assert.Null(await browser.GetSessionAsync());
    }
}
