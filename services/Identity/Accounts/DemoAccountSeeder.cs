using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Identity;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// Creates the demo accounts of seed/demo-seed.json, only when <c>Seed:Demo</c> is true (local
/// runs, Development only: see <see cref="DemoSeeding"/>). Idempotent: an account that exists is left as it is, so a changed password or an
/// enrolled authenticator survives restarts. User ids equal the seed's, which the Conversation
/// service uses too.
/// </summary>
internal sealed partial class DemoAccountSeeder(
    UserManager<IdentityUser> users,
    IPasswordHasher<IdentityUser> hasher,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<DemoAccountSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!DemoSeeding.IsRequested(configuration, environment))
        {
            return;
        }

        var path = configuration["Seed:Path"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(environment.ContentRootPath, "seed", "demo-seed.json");
        if (!File.Exists(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, "seed", "demo-seed.json");
        }

        var seed = DemoSeed.Load(path);
        // Every demo account has the same password; hashing it once keeps start-up fast.
        string? passwordHash = null;
        var created = 0;

        foreach (var staff in seed.Staff)
        {
            List<Claim> claims = [new(CareMessagingClaims.Name, staff.DisplayName), new(CareMessagingClaims.Role, staff.Role)];
            claims.AddRange(staff.CareTeams.Select(team => new Claim(CareMessagingClaims.CareTeam, team)));
            if (await CreateAsync(staff.UserId, staff.UserName, staff.Email, claims))
            {
                created++;
            }
        }

        foreach (var patient in seed.Patients)
        {
            Claim[] claims =
            [
                new(CareMessagingClaims.Name, $"{patient.GivenName} {patient.FamilyName}"),
                new(CareMessagingClaims.Role, Roles.Patient),
                new(CareMessagingClaims.PatientId, patient.PatientId),
            ];
            if (await CreateAsync(patient.UserId, patient.UserName, null, claims))
            {
                created++;
            }
        }

        LogSeeded(logger, created, seed.Staff.Count + seed.Patients.Count);

        async Task<bool> CreateAsync(string userId, string userName, string? email, IReadOnlyList<Claim> claims)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await users.FindByIdAsync(userId) is not null)
            {
                return false;
            }

            var user = new IdentityUser(userName) { Id = userId, Email = email, EmailConfirmed = email is not null };
            passwordHash ??= hasher.HashPassword(user, seed.DemoPassword);
            user.PasswordHash = passwordHash;
            Check(await users.CreateAsync(user), userName);
            Check(await users.AddClaimsAsync(user, claims), userName);
            return true;
        }
    }

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Seeding demo account {userName} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo accounts: created {Created} of {Total}")]
    private static partial void LogSeeded(ILogger logger, int created, int total);
}
