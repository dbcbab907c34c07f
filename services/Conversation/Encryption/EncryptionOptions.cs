namespace CareMessaging.Conversation.Encryption;

/// <summary>
/// The key ring for encryption at rest, from configuration (secrets): <c>Encryption:ActiveKeyId</c>
/// names the key new writes use; <c>Encryption:Keys:&lt;id&gt;</c> holds every key still needed
/// to read older rows, each 32 random bytes in base64.
/// </summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Encryption";

    public string? ActiveKeyId { get; set; }

    public Dictionary<string, string> Keys { get; set; } = [];
}
