using CareMessaging.AppHost.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;

namespace CareMessaging.UnitTests.AppHost;

public sealed class LocalStateTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "caremessaging-unit", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Credentials_are_generated_once_and_kept_with_the_data()
    {
        var first = LocalState.Open(Configuration(), "/unused");
        var second = LocalState.Open(Configuration(), "/unused");

        Assert.Equal(first.Credentials, second.Credentials);
        Assert.NotEqual(first.Credentials.PostgresPassword, first.Credentials.RedisPassword);
        Assert.Matches("^[0-9a-f]{48}$", first.Credentials.RabbitMqPassword);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Credentials_file_is_readable_by_its_owner_only()
    {
        var state = LocalState.Open(Configuration(), "/unused");

        var mode = File.GetUnixFileMode(Path.Combine(state.Directory, "credentials.json"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public void Default_state_folder_is_beside_the_AppHost_folder()
    {
        var appHost = Path.Combine(_directory, "AppHost");

        var state = LocalState.Open(new ConfigurationBuilder().Build(), appHost);

        Assert.Equal(Path.Combine(_directory, ".state"), state.Directory);
    }

    [Fact]
    public void The_conversation_encryption_key_is_32_random_bytes_kept_across_starts()
    {
        var first = LocalState.Open(Configuration(), "/unused");
        var second = LocalState.Open(Configuration(), "/unused");

        Assert.Equal(32, Convert.FromBase64String(first.Credentials.ConversationEncryptionKey!).Length);
        Assert.Equal(first.Credentials.ConversationEncryptionKey, second.Credentials.ConversationEncryptionKey);
    }

    [Fact]
    public void An_older_credentials_file_without_an_encryption_key_gets_one_and_keeps_its_passwords()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "credentials.json");
        File.WriteAllText(file, """{"PostgresPassword":"pg","RedisPassword":"redis","RabbitMqPassword":"rabbit"}""");

        var state = LocalState.Open(Configuration(), "/unused");
        var again = LocalState.Open(Configuration(), "/unused");

        Assert.Equal(("pg", "redis", "rabbit"), (state.Credentials.PostgresPassword, state.Credentials.RedisPassword, state.Credentials.RabbitMqPassword));
        Assert.Equal(32, Convert.FromBase64String(state.Credentials.ConversationEncryptionKey!).Length);
        Assert.Equal(state.Credentials, again.Credentials);
        Assert.Contains("ConversationEncryptionKey", File.ReadAllText(file), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private IConfiguration Configuration() =>
        new ConfigurationBuilder().AddInMemoryCollection([new(LocalState.ConfigurationKey, _directory)]).Build();
}
