using Aspire.Hosting;
using CareMessaging.AppHost.Infrastructure.Processes;

namespace CareMessaging.UnitTests.AppHost;

public sealed class PrerequisitesTests
{
    [Fact]
    public void Missing_server_binary_names_the_Debian_package_to_install()
    {
        var error = Assert.Throws<DistributedApplicationException>(
            () => Prerequisites.Require("/nonexistent/redis-server", "redis-server"));

        Assert.Contains("/nonexistent/redis-server is missing", error.Message);
        Assert.Contains("apt-get install -y redis-server", error.Message);
        Assert.Contains("Infrastructure:Mode", error.Message);
    }
}
