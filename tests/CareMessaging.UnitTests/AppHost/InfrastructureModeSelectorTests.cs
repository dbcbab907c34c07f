using CareMessaging.AppHost.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace CareMessaging.UnitTests.AppHost;

public sealed class InfrastructureModeSelectorTests
{
    [Theory]
    [InlineData("processes", InfrastructureMode.Processes)]
    [InlineData("Containers", InfrastructureMode.Containers)]
    [InlineData("EXTERNAL", InfrastructureMode.External)]
    public void Configured_mode_is_read_case_insensitively(string configured, InfrastructureMode expected)
    {
        Assert.Equal(expected, InfrastructureModeSelector.Select(Configuration(configured)));
    }

    [Fact]
    public void Unknown_mode_is_refused_with_the_accepted_values()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InfrastructureModeSelector.Select(Configuration("kubernetes")));

        Assert.Contains("Infrastructure:Mode", error.Message);
        Assert.Contains("processes, containers, external", error.Message);
    }

    private static IConfiguration Configuration(string mode) =>
        new ConfigurationBuilder().AddInMemoryCollection([new(InfrastructureModeSelector.ConfigurationKey, mode)]).Build();
}
