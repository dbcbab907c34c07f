using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// This service's own client registration at the identity provider (section <c>ServiceClient</c>),
/// used for calls to other services with a client-credentials token.
/// </summary>
public sealed class ServiceClientOptions
{
    public const string SectionName = "ServiceClient";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes to ask for, for example <c>caremessaging.readmodel</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>The token endpoint; when empty it is discovered from <c>Authentication:MetadataAddress</c> or <c>Authentication:Authority</c>.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>A token is renewed this long before it expires.</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Gets and caches this service's client-credentials token.</summary>
public sealed class ServiceClientTokenSource(
    IHttpClientFactory httpClients,
    IOptions<ServiceClientOptions> options,
    IConfiguration configuration,
    TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private (string Token, DateTimeOffset RenewAt)? _current;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && clock.GetUtcNow() < cached.RenewAt)
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && clock.GetUtcNow() < again.RenewAt)
            {
                return again.Token;
            }

            var settings = options.Value;
            if (string.IsNullOrEmpty(settings.ClientId) || string.IsNullOrEmpty(settings.ClientSecret))
            {
                throw new InvalidOperationException("ServiceClient:ClientId and ServiceClient:ClientSecret must be set to call other services.");
            }

            var endpoint = settings.TokenEndpoint ?? await DiscoverTokenEndpointAsync(cancellationToken);
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.ClientId,
                ["client_secret"] = settings.ClientSecret,
            };
            if (!string.IsNullOrWhiteSpace(settings.Scope))
            {
                form["scope"] = settings.Scope;
            }

            using var response = await httpClients.CreateClient(Microsoft.Extensions.Hosting.ServiceClients.TokenHttpClientName)
                .PostAsync(endpoint, new FormUrlEncodedContent(form), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"The identity provider refused client '{settings.ClientId}' a token ({(int)response.StatusCode}).",
                    inner: null,
                    response.StatusCode);
            }

            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new InvalidOperationException("The token endpoint answered with no token.");
            var lifetime = TimeSpan.FromSeconds(Math.Max(token.ExpiresIn, 0));
            _current = (token.AccessToken, clock.GetUtcNow() + lifetime - (lifetime > settings.RenewBefore ? settings.RenewBefore : lifetime / 2));
            return token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token, after a service refused it (for example because signing keys rotated).</summary>
    public void Invalidate() => _current = null;

    private async Task<Uri> DiscoverTokenEndpointAsync(CancellationToken cancellationToken)
    {
        if (_metadata is null)
        {
            var section = configuration.GetSection(Microsoft.Extensions.Hosting.Authentication.SectionName);
            var address = section["MetadataAddress"] is { Length: > 0 } metadata
                ? metadata
                : (section["Authority"] ?? throw new InvalidOperationException("Authentication:Authority is not set.")).TrimEnd('/') + "/.well-known/openid-configuration";
            var retriever = new HttpDocumentRetriever(httpClients.CreateClient(Microsoft.Extensions.Hosting.ServiceClients.TokenHttpClientName))
            {
                RequireHttps = section.GetValue("RequireHttpsMetadata", address.StartsWith("https:", StringComparison.OrdinalIgnoreCase)),
            };
            _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(address, new OpenIdConnectConfigurationRetriever(), retriever);
        }

        var configurationDocument = await _metadata.GetConfigurationAsync(cancellationToken);
        return new Uri(configurationDocument.TokenEndpoint);
    }

    public void Dispose() => _gate.Dispose();

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

/// <summary>Puts this service's token on every outgoing request; on a 401 it fetches a new token and tries once more.</summary>
public sealed class ServiceClientTokenHandler(ServiceClientTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is not null)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
