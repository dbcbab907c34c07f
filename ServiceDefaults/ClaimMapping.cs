using System.Security.Claims;
using Microsoft.Extensions.Configuration;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Maps an identity provider's claim names onto the CareMessaging claims contract, for a hospital
/// identity provider whose tokens say, for example, <c>roles</c> and <c>groups</c> where the
/// services expect <c>role</c> and <c>care_team</c>. Configured as
/// <c>&lt;section&gt;:ClaimMap:&lt;our claim&gt; = &lt;their claim&gt;</c>; a claim we already have is kept.
/// </summary>
public static class ClaimMapping
{
    public const string SectionName = "ClaimMap";

    /// <summary>Reads the map (our claim type → their claim type) from <paramref name="section"/>.</summary>
    public static IReadOnlyDictionary<string, string> Read(IConfigurationSection section) =>
        section.GetSection(SectionName).GetChildren()
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Value))
            .ToDictionary(entry => entry.Key, entry => entry.Value!, StringComparer.Ordinal);

    /// <summary>Adds a claim of our type for every claim of the mapped type that the identity has.</summary>
    public static void Apply(ClaimsIdentity identity, IReadOnlyDictionary<string, string> map)
    {
        foreach (var (ours, theirs) in map)
        {
            if (ours == theirs)
            {
                continue;
            }

            var existing = identity.FindAll(ours).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var claim in identity.FindAll(theirs).ToList())
            {
                if (existing.Add(claim.Value))
                {
                    identity.AddClaim(new Claim(ours, claim.Value, claim.ValueType, claim.Issuer));
                }
            }
        }
    }
}
