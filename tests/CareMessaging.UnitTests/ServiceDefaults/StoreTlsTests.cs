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

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))
                .Append(new(StoreTls.CertificateAuthorityKey, "/etc/caremessaging/store-ca/ca.crt")))
            .Build();
}
