using CareMessaging.Contracts;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>A signed-in person as the services see them, with an id of their own for each test.</summary>
public sealed record TestUser(string Id, string Role, IReadOnlyList<string> CareTeams, string? PatientId)
{
    public static TestUser Staff(string role, params string[] careTeams) => new($"staff-{Guid.NewGuid():N}", role, careTeams, null);

    public static TestUser Patient(string patientId) => new($"patient-{Guid.NewGuid():N}", Roles.Patient, [], patientId);

    public static TestUser Compliance() => new($"compliance-{Guid.NewGuid():N}", Roles.Compliance, [], null);

    public static TestUser Admin() => new($"admin-{Guid.NewGuid():N}", Roles.Admin, [], null);
}
