using System.Net;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using CareMessaging.EndToEndTests.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// A token refresh that meets a rate limit or an outage is not the session's end: the gateway keeps
/// the session and tries again. And one client's token requests do not use up another's limit.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TokenRefreshTests(CareMessagingStack stack)
{
    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task A_refresh_that_meets_a_rate_limit_or_an_outage_keeps_the_session(HttpStatusCode failure)
    {
        var faults = new TokenEndpointFaults();
        await using var gateway = await GatewayHost.StartAsync(stack, configureServices: services =>
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
                options.Backchannel = new HttpClient(new TokenEndpointFaults.Handler(faults, options.Backchannel)) { Timeout = TestTimeouts.Request }));
        using var browser = gateway.CreateBrowser();
        await browser.SignInAsync(DemoUsers.Patients[26].UserName, DemoUsers.Password);

        gateway.Clock.Advance(TimeSpan.FromMinutes(6));
        faults.FailWith = failure;
        using var duringOutage = await browser.Client.GetAsync("/identity/api/account");
        var sessionDuringOutage = await browser.GetSessionAsync();
        faults.FailWith = null;
        using var afterOutage = await browser.Client.GetAsync("/identity/api/account");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, duringOutage.StatusCode);
        Assert.True(duringOutage.Headers.RetryAfter is not null, "A 503 during a refresh outage says when to try again.");
        Assert.NotNull(sessionDuringOutage);
        Assert.Equal(HttpStatusCode.OK, afterOutage.StatusCode);
        Assert.True(faults.Refused > 0);
    }

    [Fact]
    public async Task One_clients_token_requests_do_not_use_up_another_clients_limit()
    {
        using var identity = stack.App.CreateHttpClient(ResourceNames.Identity, "http");
        const string sharedAddress = "203.0.113.250";
        var refused = false;
        for (var round = 0; round < 40 && !refused; round++)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => TokenRequestAsync(identity, sharedAddress, "probe-client", "not-a-secret")));
            refused = batch.Contains(HttpStatusCode.TooManyRequests);
        }

        var genuine = await TokenRequestAsync(identity, sharedAddress, ResourceNames.Stats, stack.IdentitySecrets.StatsClientSecret);

        Assert.True(refused, "Flooding the token endpoint with one client id was never limited.");
        Assert.Equal(HttpStatusCode.OK, genuine);
    }

    [Fact]
    public async Task Token_requests_that_borrow_a_services_client_id_from_elsewhere_do_not_use_up_that_services_limit()
    {
        using var identity = stack.App.CreateHttpClient(ResourceNames.Identity, "http");
        var refused = false;
        for (var round = 0; round < 40 && !refused; round++)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => TokenRequestAsync(identity, "203.0.113.251", ResourceNames.Stats, "not-the-secret")));
            refused = batch.Contains(HttpStatusCode.TooManyRequests);
        }

        var genuine = await TokenRequestAsync(identity, "203.0.113.252", ResourceNames.Stats, stack.IdentitySecrets.StatsClientSecret);

        Assert.True(refused, "Flooding the token endpoint with a service's client id was never limited.");
        Assert.Equal(HttpStatusCode.OK, genuine);
    }

    private static async Task<HttpStatusCode> TokenRequestAsync(HttpClient identity, string clientAddress, string clientId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/identity/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = secret,
                ["scope"] = OAuthScopes.ReadModel,
            }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", clientAddress);
        using var response = await identity.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Makes the identity provider's token endpoint answer with a failure while <see cref="FailWith"/> is set.</summary>
    private sealed class TokenEndpointFaults
    {
        public HttpStatusCode? FailWith { get; set; }

        public int Refused { get; private set; }

        public sealed class Handler(TokenEndpointFaults faults, HttpClient inner) : HttpMessageHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (faults.FailWith is { } status && request.RequestUri!.AbsolutePath.EndsWith("/connect/token", StringComparison.Ordinal))
                {
                    faults.Refused++;
                    return new HttpResponseMessage(status) { Content = new StringContent("{}") };
                }

                var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
                foreach (var header in request.Headers)
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                return await inner.SendAsync(copy, cancellationToken);
            }
        }
    }
}
