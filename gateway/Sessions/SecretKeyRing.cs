using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// The gateway's data-protection key ring, made from secrets rather than stored anywhere
/// (section <c>DataProtection</c>: <c>ActiveKeyId</c> and <c>Keys:&lt;id&gt;</c>, each 32 or more
/// random bytes in base64, from the deployment's secret store). Each secret yields one key, its
/// master key and id derived with HKDF, so every replica and every restart has the same ring, a
/// flushed or lost Redis cannot take it, and nothing readable sits beside the sessions it protects
/// (docs/decisions/0027). Rotation: add a new key, make it active, drop the old one once sessions
/// made with it have ended (at most <c>Session:AbsoluteTimeout</c>).
/// </summary>
public sealed class SecretKeyRing : IXmlRepository
{
    public const string SectionName = "DataProtection";

    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly DateTimeOffset Created = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IReadOnlyCollection<XElement> _keys;

    public SecretKeyRing(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var active = section["ActiveKeyId"];
        var secrets = section.GetSection("Keys").GetChildren().Where(key => !string.IsNullOrEmpty(key.Value)).ToList();
        if (secrets.Count == 0 || active is null || secrets.All(key => key.Key != active))
        {
            throw new InvalidOperationException(
                "The gateway's data-protection keys are not configured: set DataProtection:ActiveKeyId and DataProtection:Keys:<that id> " +
                "to 32 random bytes in base64 from the secret store (the AppHost's gateway-data-protection-key parameter).");
        }

        _keys = [.. secrets.Select(key => Element(key.Key, Secret(key.Key, key.Value!), key.Key == active))];
    }

    /// <summary>The GUID data protection names the key of <paramref name="keyId"/> by; it follows the secret, so a new secret under an old id is a new key.</summary>
    public static Guid KeyGuid(string keyId, byte[] secret) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 16, salt: [], info: Encoding.UTF8.GetBytes("CareMessaging.Gateway.KeyId:" + keyId)));

    public IReadOnlyCollection<XElement> GetAllElements() => _keys;

    public void StoreElement(XElement element, string friendlyName) =>
        throw new InvalidOperationException("The gateway's data-protection keys come from DataProtection:Keys; no key is generated or stored.");

    private static byte[] Secret(string keyId, string value)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"DataProtection:Keys:{keyId} is not base64. Use 32 random bytes, for example: openssl rand -base64 32");
        }

        return secret.Length >= 32
            ? secret
            : throw new InvalidOperationException($"DataProtection:Keys:{keyId} has {secret.Length} bytes; use at least 32 random bytes.");
    }

    private static XElement Element(string keyId, byte[] secret, bool active)
    {
        // AES-256-CBC with HMAC-SHA256, data protection's default, takes a 512-bit master key.
        var master = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 64, salt: [], info: Encoding.UTF8.GetBytes("CareMessaging.Gateway.DataProtection:" + keyId));
        var descriptor = new AuthenticatedEncryptorDescriptor(new AuthenticatedEncryptorConfiguration(), new Secret(master)).ExportToXml();
        // The active key is the one activated last; the others still decrypt what they protected.
        var activation = active ? Created.AddYears(1) : Created;
        return new XElement("key",
            new XAttribute("id", KeyGuid(keyId, secret)),
            new XAttribute("version", 1),
            new XElement("creationDate", Created.ToString("O", CultureInfo.InvariantCulture)),
            new XElement("activationDate", activation.ToString("O", CultureInfo.InvariantCulture)),
            new XElement("expirationDate", Expires.ToString("O", CultureInfo.InvariantCulture)),
            new XElement("descriptor",
                new XAttribute("deserializerType", descriptor.DeserializerType.AssemblyQualifiedName!),
                StripEncryptionMarker(descriptor.SerializedDescriptorElement)));
    }

    // The master key is marked as needing encryption at rest; this ring is never at rest, so the marker would only trigger a warning.
    private static XElement StripEncryptionMarker(XElement element)
    {
        foreach (var marked in element.DescendantsAndSelf().Where(e => e.Attribute(DataProtection + "requiresEncryption") is not null).ToList())
        {
            marked.Attribute(DataProtection + "requiresEncryption")!.Remove();
        }

        return element;
    }
}
