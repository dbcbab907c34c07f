using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace CareMessaging.Conversation.Encryption;

/// <summary>
/// Encrypts message bodies and previews with AES-256-GCM. Each stored value records the id of
/// the key that sealed it, so a new active key takes over for new writes while older rows stay
/// readable as long as their key remains in the ring. The associated data binds a ciphertext to
/// its row: copying it into another row makes it unreadable rather than misattributed.
/// </summary>
public sealed class KeyRing
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int KeySize = 32;

    private readonly Dictionary<string, byte[]> _keys;

    public KeyRing(IOptions<EncryptionOptions> options)
    {
        var value = options.Value;
        if (Problem(value) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        _keys = value.Keys.ToDictionary(pair => pair.Key, pair => Convert.FromBase64String(pair.Value));
        ActiveKeyId = value.ActiveKeyId!;
    }

    public string ActiveKeyId { get; }

    /// <summary>Why the configuration cannot be used, or null when it can.</summary>
    public static string? Problem(EncryptionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ActiveKeyId))
        {
            return "Encryption:ActiveKeyId is not set. Configure a key ring: Encryption:ActiveKeyId and Encryption:Keys:<id> (32 random bytes, base64).";
        }

        if (!options.Keys.ContainsKey(options.ActiveKeyId))
        {
            return $"Encryption:ActiveKeyId names key '{options.ActiveKeyId}', but Encryption:Keys has no such key.";
        }

        foreach (var (id, key) in options.Keys)
        {
            var bytes = new byte[KeySize + 1];
            if (!Convert.TryFromBase64String(key.Trim(), bytes, out var length) || length != KeySize)
            {
                return $"Encryption:Keys:{id} must be {KeySize} random bytes in base64 (for example from `openssl rand -base64 32`).";
            }
        }

        return null;
    }

    /// <summary>Seals <paramref name="plaintext"/> with the active key.</summary>
    public SealedValue Seal(string plaintext, ReadOnlySpan<byte> associatedData)
    {
        var input = System.Text.Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + NonceSize + TagSize + input.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[ActiveKeyId], TagSize);
        aes.Encrypt(nonce, input, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), associatedData);
        return new SealedValue(ActiveKeyId, output);
    }

    /// <summary>Opens a value sealed by any key in the ring.</summary>
    public string Open(string keyId, byte[] sealedValue, ReadOnlySpan<byte> associatedData)
    {
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"Key '{keyId}' is not in the key ring; it is still needed to read older rows.");
        }

        if (sealedValue.Length < 1 + NonceSize + TagSize || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException("The stored value is not in a known format.");
        }

        var ciphertext = sealedValue.AsSpan(1 + NonceSize + TagSize);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(1, NonceSize), ciphertext, sealedValue.AsSpan(1 + NonceSize, TagSize), plaintext, associatedData);
        return System.Text.Encoding.UTF8.GetString(plaintext);
    }
}

/// <summary>A sealed value and the id of the key that sealed it.</summary>
public readonly record struct SealedValue(string KeyId, byte[] Ciphertext);
