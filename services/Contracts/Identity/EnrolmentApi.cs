namespace CareMessaging.Contracts.Identity;

/// <summary>
/// A one-time authenticator enrolment code, as the administrator who issued it sees it once
/// (<c>POST /identity/api/admin/users/{userId}/enrolment-code</c>). Only its hash is kept, so it
/// cannot be shown again: issuing another replaces it.
/// </summary>
/// <param name="EnrolmentAddress">The page the user enrols at, after signing in with their password; the code is not in it.</param>
public sealed record IssuedEnrolmentCode(string UserId, string Code, DateTimeOffset ExpiresAt, string EnrolmentAddress);
