using CareMessaging.Identity.Accounts;
using CareMessaging.Identity.Enrolment;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace CareMessaging.Identity.Data;

/// <summary>
/// Accounts and their claims (ASP.NET Core Identity), and the OpenID Connect server's clients,
/// scopes, authorizations and tokens (OpenIddict, added through <c>UseOpenIddict()</c>), in the
/// Identity service's own database. Names are snake_case by convention
/// (<c>UseSnakeCaseNamingConvention</c>), as in every service database.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<AuthenticatorStep> AuthenticatorSteps => Set<AuthenticatorStep>();

    public DbSet<SignInFailureRecord> SignInFailures => Set<SignInFailureRecord>();

    public DbSet<EnrolmentCode> EnrolmentCodes => Set<EnrolmentCode>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Identity and OpenIddict name their tables themselves (AspNetUsers, OpenIddictTokens), and
        // the convention keeps names given explicitly: these are the names it would have given.
        builder.Entity<IdentityUser>().ToTable("asp_net_users");
        builder.Entity<IdentityRole>().ToTable("asp_net_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("asp_net_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("asp_net_user_logins");
        builder.Entity<IdentityUserRole<string>>().ToTable("asp_net_user_roles");
        builder.Entity<IdentityUserToken<string>>().ToTable("asp_net_user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("asp_net_role_claims");
        builder.Entity<OpenIddictEntityFrameworkCoreApplication>().ToTable("openiddict_applications");
        builder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().ToTable("openiddict_authorizations");
        builder.Entity<OpenIddictEntityFrameworkCoreScope>().ToTable("openiddict_scopes");
        builder.Entity<OpenIddictEntityFrameworkCoreToken>().ToTable("openiddict_tokens");

        builder.Entity<SignInFailureRecord>(failure =>
        {
            failure.HasKey(f => new { f.AccountKey, f.ClientAddress });
            failure.Property(f => f.AccountKey).HasMaxLength(64);
            failure.Property(f => f.ClientAddress).HasMaxLength(64);
            failure.HasIndex(f => f.BlockedUntil);
        });

        builder.Entity<AuthenticatorStep>(step =>
        {
            step.HasKey(s => s.UserId);
            step.HasOne<IdentityUser>().WithOne().HasForeignKey<AuthenticatorStep>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<EnrolmentCode>(code =>
        {
            code.HasKey(c => c.UserId);
            code.Property(c => c.CodeHash).HasMaxLength(64);
            code.HasOne<IdentityUser>().WithOne().HasForeignKey<EnrolmentCode>(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
