using System.Security.Claims;
using CareMessaging.Contracts;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>
/// How the pages present the signed-in caller (<see cref="CareMessagingCaller"/>, read the same way
/// as every service reads it): where their work starts, their role in words, their name and avatar.
/// </summary>
public static class CallerPresentation
{
    extension(ClaimsPrincipal user)
    {
        /// <summary>The signed-in caller, or null for a visitor who has not signed in.</summary>
        public CareMessagingCaller? SignedInCaller => user.Identity?.IsAuthenticated == true ? CareMessagingCaller.From(user) : null;
    }

    extension(CareMessagingCaller caller)
    {
        /// <summary>Where this person's work starts.</summary>
        public string HomePath => caller.Kind switch
        {
            CallerKind.Staff => "/inbox",
            CallerKind.Patient => "/portal",
            _ => "/account",
        };

        public string DisplayName => string.IsNullOrWhiteSpace(caller.Name) ? "Signed in" : caller.Name;

        public string RoleDisplayName => caller.Role switch
        {
            Roles.Clinician => "Clinician",
            Roles.Nurse => "Nurse",
            Roles.Staff => "Care team staff",
            Roles.Admin => "Administrator",
            Roles.Compliance => "Compliance",
            Roles.Patient => "Patient",
            _ => caller.Role,
        };

        /// <summary>
        /// The header's avatar: the first letters of the first and last words of the signed-in
        /// person's own name (patients' initials come from the Conversation service).
        /// </summary>
        public string AvatarInitials
        {
            get
            {
                var parts = caller.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return (parts.Length == 1 ? parts[0][..1] : string.Concat(parts[0][..1], parts[^1][..1])).ToUpperInvariant();
            }
        }
    }
}
