using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CareMessaging.Stats.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<StatsDbContext>
{
    public StatsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<StatsDbContext>()
            .UseNpgsql("Host=localhost;Database=statsdb")
            .UseSnakeCaseNamingConvention()
            .Options);
}
