using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Aspire.Hosting;
using CareMessaging.AppHost.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;

namespace CareMessaging.UnitTests.AppHost;

public sealed class StoreCertificatesTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "caremessaging-unit", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Without_TLS_no_certificates_are_made()
    {
        Assert.Null(StoreCertificates.Open(Configuration(tls: false), _state));
        Assert.False(Directory.Exists(Path.Combine(_state, "tls")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_generated_server_certificate_is_for_localhost_chains_to_the_authority_and_its_key_is_the_owners_alone()
    {
        var tls = StoreCertificates.Open(Configuration(tls: true), _state)!;

        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(tls.AuthorityPath));
        using var server = X509Certificate2.CreateFromPemFile(
            Path.Combine(tls.Directory, StoreCertificates.ServerCertificateFileName), Path.Combine(tls.Directory, StoreCertificates.ServerKeyFileName));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        Assert.True(chain.Build(server), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(server.MatchesHostname("localhost"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.False(server.MatchesHostname("caremessaging.hospital.example"));
        Assert.True(server.HasPrivateKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls.Directory, StoreCertificates.ServerKeyFileName)));
        Assert.DoesNotContain(Directory.GetFiles(tls.Directory), file => File.ReadAllText(file).Contains("PRIVATE KEY") && !file.EndsWith(StoreCertificates.ServerKeyFileName, StringComparison.Ordinal));
    }

    [Fact]
    public void The_certificates_are_made_once_and_the_probes_accept_only_the_server_certificate()
    {
        var first = StoreCertificates.Open(Configuration(tls: true), _state)!;
        var certificate = File.ReadAllText(Path.Combine(first.Directory, StoreCertificates.ServerCertificateFileName));
        var second = StoreCertificates.Open(Configuration(tls: true), _state)!;

        using var server = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(second.Directory, StoreCertificates.ServerCertificateFileName)));
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(second.AuthorityPath));
        Assert.Equal(certificate, File.ReadAllText(Path.Combine(second.Directory, StoreCertificates.ServerCertificateFileName)));
        Assert.True(second.IsServerCertificate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(second.IsServerCertificate(this, authority, null, SslPolicyErrors.None));
    }

    [Fact]
    public void A_configured_folder_without_the_files_stops_the_start_naming_what_is_missing()
    {
        var configuration = Configuration(tls: true, (StoreCertificates.DirectoryKey, _state));

        var refused = Assert.Throws<DistributedApplicationException>(() => StoreCertificates.Open(configuration, _state));

        Assert.Contains(StoreCertificates.AuthorityFileName, refused.Message);
        Assert.Contains(StoreCertificates.ServerKeyFileName, refused.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private static IConfiguration Configuration(bool tls, params (string Key, string Value)[] more) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(more.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value))
                .Append(new(StoreCertificates.EnabledKey, tls ? "true" : "false")))
            .Build();
}
