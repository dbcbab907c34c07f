using System.Buffers.Binary;
using System.Text;

namespace CareMessaging.Testing.Telemetry;

/// <summary>
/// Reads the protobuf wire format, as much as OTLP needs: varints, fixed 32 and 64 bit values and
/// length-delimited fields. The exporter writes its protobuf by hand too; a reader of a few dozen
/// lines spares the tests the generated OTLP classes and their tool chain.
/// </summary>
internal sealed class ProtoReader(ReadOnlyMemory<byte> data)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int _position;

    public bool TryReadTag(out int field, out int wireType)
    {
        if (_position >= data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data.Span[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("A varint is longer than ten bytes.");
    }

    public ulong ReadFixed64()
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(data.Span.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public ReadOnlyMemory<byte> ReadBytes()
    {
        var length = checked((int)ReadVarint());
        if (length < 0 || _position + length > data.Length)
        {
            throw new FormatException("A length-delimited field runs past its message.");
        }

        var bytes = data.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: _position += 8; break;
            case 2: ReadBytes(); break;
            case 5: _position += 4; break;
            default: throw new FormatException($"Wire type {wireType} is not used by OTLP.");
        }

        if (_position > data.Length)
        {
            throw new FormatException("A field runs past its message.");
        }
    }

    /// <summary>
    /// Every length-delimited field that is valid UTF-8 text, at any depth, whatever the schema says
    /// it is: a string attribute, a name, a log body, a scope's attributes. What the privacy tests scan.
    /// </summary>
    public static void CollectStrings(ReadOnlyMemory<byte> message, Action<string> found, int depth = 0)
    {
        if (depth > 24 || !IsMessage(message))
        {
            return;
        }

        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out _, out var wireType))
        {
            if (wireType != 2)
            {
                reader.Skip(wireType);
                continue;
            }

            var field = reader.ReadBytes();
            if (field.Length > 0 && TryText(field.Span, out var text))
            {
                found(text);
            }

            CollectStrings(field, found, depth + 1);
        }
    }

    private static bool TryText(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool IsMessage(ReadOnlyMemory<byte> candidate)
    {
        try
        {
            var reader = new ProtoReader(candidate);
            while (reader.TryReadTag(out var field, out var wireType))
            {
                if (field < 1)
                {
                    return false;
                }

                reader.Skip(wireType);
            }

            return true;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}
