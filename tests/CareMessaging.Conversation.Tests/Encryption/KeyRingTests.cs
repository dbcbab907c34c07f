using System.Security.Cryptography;
using System.Text;
using CareMessaging.Conversation.Encryption;
using Microsoft.Extensions.Options;

namespace CareMessaging.Conversation.Tests.Encryption;

public sealed class KeyRingTests
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_sealed_value_opens_with_its_key_and_reveals_nothing_of_the_plaintext()
    {
        var ring = Ring("a", ("a", KeyA));

        var sealedValue = ring.Seal("chest pain since Tuesday", "row-1"u8);

        Assert.Equal("a", sealedValue.KeyId);
        Assert.DoesNotContain("chest", Encoding.UTF8.GetString(sealedValue.Ciphertext), StringComparison.Ordinal);
        Assert.Equal("chest pain since Tuesday", ring.Open("a", sealedValue.Ciphertext, "row-1"u8));
    }

    [Fact]
    public void The_same_text_seals_differently_each_time()
    {
        var ring = Ring("a", ("a", KeyA));

        Assert.NotEqual(ring.Seal("same", "row"u8).Ciphertext, ring.Seal("same", "row"u8).Ciphertext);
    }

    [Fact]
    public void A_value_copied_to_another_row_or_tampered_with_does_not_open()
    {
        var ring = Ring("a", ("a", KeyA));
        var sealedValue = ring.Seal("text", "row-1"u8);
        var tampered = sealedValue.Ciphertext.ToArray();
        tampered[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => ring.Open("a", sealedValue.Ciphertext, "row-2"u8));
        Assert.ThrowsAny<CryptographicException>(() => ring.Open("a", tampered, "row-1"u8));
    }

    [Fact]
    public void After_rotation_new_values_use_the_new_key_and_old_ones_still_open()
    {
        var old = Ring("a", ("a", KeyA)).Seal("old", "r"u8);
        var rotated = Ring("b", ("a", KeyA), ("b", KeyB));

        var fresh = rotated.Seal("new", "r"u8);

        Assert.Equal("b", fresh.KeyId);
        Assert.Equal("old", rotated.Open(old.KeyId, old.Ciphertext, "r"u8));
        Assert.ThrowsAny<CryptographicException>(() => Ring("b", ("b", KeyB)).Open(old.KeyId, old.Ciphertext, "r"u8));
    }

    [Theory]
    [InlineData(null, "a", "ActiveKeyId is not set")]
    [InlineData("missing", "a", "has no such key")]
    [InlineData("a", "short", "32 random bytes")]
    public void A_key_ring_that_cannot_work_is_refused_with_a_reason(string? active, string keyKind, string reason)
    {
        var key = keyKind == "short" ? Convert.ToBase64String(new byte[16]) : KeyA;
        var options = new EncryptionOptions { ActiveKeyId = active, Keys = { ["a"] = key } };

        Assert.Contains(reason, KeyRing.Problem(options), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new KeyRing(Options.Create(options)));
    }

    private static KeyRing Ring(string active, params (string Id, string Key)[] keys)
    {
        var options = new EncryptionOptions { ActiveKeyId = active };
        foreach (var (id, key) in keys)
        {
            options.Keys[id] = key;
        }

        return new KeyRing(Options.Create(options));
    }
}
