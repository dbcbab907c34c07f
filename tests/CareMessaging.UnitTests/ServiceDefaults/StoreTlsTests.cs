using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CareMessaging.AppHost.Infrastructure.Processes;
using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace CareMessaging.UnitTests.ServiceDefaults;

/// <summary>With StoreTls:Required a service starts only on connection strings that encrypt and check the server (ADR 0056).</summary>
public sealed class StoreTlsTests
{
    [Fact]
    public void Connection_strings_that_name_no_TLS_are_given_it_with_the_certificate_checked_against_the_authority()
    {
        var configuration = Configuration(
            ("ConnectionStrings:conversationdb", "Host=pg.hospital.example;Database=conversationdb;Username=conversation;Password=x"),
            ("ConnectionStrings:redis", "redis.hospital.example:6380,password=x"),
            ("ConnectionStrings:messaging", "amqps://u:p@mq.hospital.example:5671"));

        StoreTls.RequireInConnectionStrings(configuration);

        Assert.Contains("ssl mode=VerifyFull", configuration["ConnectionStrings:conversationdb"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("root certificate=/etc/caremessaging/store-ca/ca.crt", configuration["ConnectionStrings:conversationdb"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("redis.hospital.example:6380,password=x,ssl=true", configuration["ConnectionStrings:redis"]);
        Assert.Equal("amqps://u:p@mq.hospital.example:5671", configuration["ConnectionStrings:messaging"]);
    }

    [Theory]
    [InlineData("ConnectionStrings:auditdb", "Host=pg;Database=auditdb;SSL Mode=Disable")]
    [InlineData("ConnectionStrings:auditdb-owner", "Host=pg;Database=auditdb;sslmode=Require")]
    [InlineData("ConnectionStrings:statsdb", "Host=pg;Database=statsdb;SslMode=Prefer")]
    [InlineData("ConnectionStrings:sessions", "redis:6379,ssl=false,password=x")]
    [InlineData("ConnectionStrings:messaging", "amqp://u:p@mq:5672")]
    public void A_connection_string_that_asks_for_less_stops_the_start_naming_it(string key, string value)
    {
        var configuration = Configuration((key, value));

        var refused = Assert.Throws<InvalidOperationException>(() => StoreTls.RequireInConnectionStrings(configuration));

        Assert.Contains(key, refused.Message);
    }

    [Fact]
    public void A_connection_string_that_already_checks_the_server_is_kept()
    {
        const string Given = "Host=pg;Database=identitydb;SSL Mode=VerifyCA;Root Certificate=/certs/hospital.pem";
        var configuration = Configuration(("ConnectionStrings:identitydb", Given));

        StoreTls.RequireInConnectionStrings(configuration);

        Assert.Equal(Given, configuration["ConnectionStrings:identitydb"]);
    }

    [Fact]
    public void The_authority_vouches_only_for_its_own_certificates_and_never_for_another_host_name()
    {
        var folder = Path.Combine(Path.GetTempPath(), "caremessaging-unit", Guid.NewGuid().ToString("N"));
        try
        {
            var tls = new ConfigurationBuilder().AddInMemoryCollection([new(StoreCertificates.EnabledKey, "true")]).Build();
            var ours = StoreCertificates.Open(tls, Path.Combine(folder, "ours"))!;
            var theirs = StoreCertificates.Open(tls, Path.Combine(folder, "theirs"))!;
            var validate = StoreTls.Validator(new ConfigurationBuilder()
                .AddInMemoryCollection([new(StoreTls.CertificateAuthorityKey, ours.AuthorityPath)]).Build())!;
            using var ourServer = ServerCertificate(ours);
            using var theirServer = ServerCertificate(theirs);

            Assert.True(validate(this, ourServer, null, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(validate(this, theirServer, null, SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(validate(this, ourServer, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
            Assert.False(validate(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Without_an_authority_the_drivers_own_check_applies() =>
        Assert.Null(StoreTls.Validator(new ConfigurationBuilder().Build()));

    private static X509Certificate2 ServerCertificate(StoreCertificates certificates) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(certificates.Directory, StoreCertificates.ServerCertificateFileName)));

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))
                .Append(new(StoreTls.CertificateAuthorityKey, "/etc/caremessaging/store-ca/ca.crt")))
            .Build();
}
