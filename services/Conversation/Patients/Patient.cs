namespace CareMessaging.Conversation.Patients;

/// <summary>
/// A patient in the directory. Reference data owned here; in production it is fed from the
/// hospital's patient records.
/// </summary>
public sealed class Patient
{
    /// <summary>The patient ID as people use it, for example "P-100234".</summary>
    public required string PatientId { get; init; }

    public required string GivenName { get; set; }

    public required string FamilyName { get; set; }

    public required DateOnly DateOfBirth { get; set; }

    public required string CareTeamId { get; set; }

    /// <summary>The user id of the patient's portal account, when they have one.</summary>
    public string? PortalUserId { get; set; }

    /// <summary>Lower-cased patient ID and names, trigram-indexed for substring search.</summary>
    public string SearchText { get; private set; } = string.Empty;

    public string FullName => $"{GivenName} {FamilyName}";

    public string Initials => PatientNames.Initials(GivenName, FamilyName);

    public void RefreshSearchText() => SearchText = PatientNames.SearchText(PatientId, GivenName, FamilyName);
}

/// <summary>How a patient's name is shown and searched.</summary>
public static class PatientNames
{
    // A line break never occurs in a search term, so a match cannot span two fields.
    public const char FieldSeparator = '\n';

    public static string Initials(string givenName, string familyName) =>
        string.Concat(FirstLetter(givenName), FirstLetter(familyName)).ToUpperInvariant();

    public static string SearchText(string patientId, string givenName, string familyName) =>
        string.Join(FieldSeparator, patientId, $"{givenName} {familyName}", $"{familyName} {givenName}").ToLowerInvariant();

    private static string FirstLetter(string name) => name.Trim() is { Length: > 0 } trimmed ? trimmed[..1] : string.Empty;
}
