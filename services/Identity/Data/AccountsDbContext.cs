using CareMessaging.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Identity.Data;

/// <summary>
/// Accounts and their claims (ASP.NET Core Identity), and the OpenID Connect server's clients,
/// scopes, authorizations and tokens (OpenIddict, added through <c>UseOpenIddict()</c>), in the
/// Identity service's own database.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<AuthenticatorStep> AuthenticatorSteps => Set<AuthenticatorStep>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<AuthenticatorStep>(step =>
        {
            step.ToTable("AuthenticatorSteps");
            step.HasKey(s => s.UserId);
            step.HasOne<IdentityUser>().WithOne().HasForeignKey<AuthenticatorStep>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
