using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RdLicensing.Registry;

/// <summary>
/// A registry value as Windows stores it: a type and the raw data bytes (strings are UTF-16LE with their NUL terminator).
/// Immutable. Typed views (<see cref="TryGetString"/>, <see cref="TryGetDWord"/> …) read the bytes; they never guess.
/// </summary>
public sealed class RegistryValue : IEquatable<RegistryValue>
{
    private readonly byte[] _data;

    private RegistryValue(RegistryValueType type, byte[] data)
    {
        Type = type;
        _data = data;
    }

    /// <summary>The value's type (any number; see <see cref="RegistryValueType"/> for the named ones).</summary>
    public RegistryValueType Type { get; }

    /// <summary>The raw data bytes.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>A value of any type with the given raw bytes.</summary>
    public static RegistryValue FromRaw(RegistryValueType type, ReadOnlySpan<byte> data) => new(type, data.ToArray());

    /// <summary>REG_SZ: the string's UTF-16LE code units plus a NUL terminator.</summary>
    public static RegistryValue FromString(string text) => new(RegistryValueType.String, EncodeTerminated(text));

    /// <summary>REG_EXPAND_SZ: the string's UTF-16LE code units plus a NUL terminator.</summary>
    public static RegistryValue FromExpandString(string text) => new(RegistryValueType.ExpandString, EncodeTerminated(text));

    /// <summary>REG_MULTI_SZ: each string NUL-terminated, then one more NUL. Strings may not contain NUL or be empty.</summary>
    public static RegistryValue FromMultiString(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var builder = new StringBuilder();
        foreach (string item in items)
        {
            if (item.Length == 0 || item.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("a multi-string item cannot be empty or contain nul", nameof(items));
            }

            builder.Append(item).Append('\0');
        }

        builder.Append('\0');
        return new(RegistryValueType.MultiString, MemoryMarshal.AsBytes(builder.ToString().AsSpan()).ToArray());
    }

    /// <summary>REG_DWORD, little-endian.</summary>
    public static RegistryValue FromDWord(uint value)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        return new(RegistryValueType.DWord, data);
    }

    /// <summary>REG_QWORD, little-endian.</summary>
    public static RegistryValue FromQWord(ulong value)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(data, value);
        return new(RegistryValueType.QWord, data);
    }

    /// <summary>REG_BINARY.</summary>
    public static RegistryValue FromBinary(ReadOnlySpan<byte> data) => new(RegistryValueType.Binary, data.ToArray());

    /// <summary>REG_NONE.</summary>
    public static RegistryValue FromNone(ReadOnlySpan<byte> data) => new(RegistryValueType.None, data.ToArray());

    /// <summary>
    /// The text of a REG_SZ or REG_EXPAND_SZ value: the UTF-16LE code units up to the first NUL (or the end).
    /// False for other types or an odd number of bytes.
    /// </summary>
    public bool TryGetString(out string text)
    {
        text = "";
        if ((Type != RegistryValueType.String && Type != RegistryValueType.ExpandString) || _data.Length % 2 != 0)
        {
            return false;
        }

        ReadOnlySpan<char> chars = MemoryMarshal.Cast<byte, char>(_data);
        int nul = chars.IndexOf('\0');
        text = new string(nul < 0 ? chars : chars[..nul]);
        return true;
    }

    /// <summary>
    /// The strings of a REG_MULTI_SZ value (empty strings, which end the list in Windows, are dropped; a missing final
    /// terminator is tolerated). False for other types or an odd number of bytes.
    /// </summary>
    public bool TryGetMultiString(out IReadOnlyList<string> items)
    {
        items = [];
        if (Type != RegistryValueType.MultiString || _data.Length % 2 != 0)
        {
            return false;
        }

        ReadOnlySpan<char> chars = MemoryMarshal.Cast<byte, char>(_data);
        var list = new List<string>();
        foreach (Range range in chars.Split('\0'))
        {
            if (range.End.GetOffset(chars.Length) > range.Start.GetOffset(chars.Length))
            {
                list.Add(new string(chars[range]));
            }
        }

        items = list;
        return true;
    }

    /// <summary>The number of a REG_DWORD value of exactly 4 bytes.</summary>
    public bool TryGetDWord(out uint value)
    {
        value = 0;
        if (Type != RegistryValueType.DWord || _data.Length != 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(_data);
        return true;
    }

    /// <summary>The number of a REG_QWORD value of exactly 8 bytes.</summary>
    public bool TryGetQWord(out ulong value)
    {
        value = 0;
        if (Type != RegistryValueType.QWord || _data.Length != 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_data);
        return true;
    }

    /// <summary>The REG_* name of the type, e.g. "REG_SZ", or "REG_0x1a" for an unnamed type.</summary>
    public string TypeName => TypeNameOf(Type);

    /// <summary>The REG_* name of a type.</summary>
    public static string TypeNameOf(RegistryValueType type) => type switch
    {
        RegistryValueType.None => "REG_NONE",
        RegistryValueType.String => "REG_SZ",
        RegistryValueType.ExpandString => "REG_EXPAND_SZ",
        RegistryValueType.Binary => "REG_BINARY",
        RegistryValueType.DWord => "REG_DWORD",
        RegistryValueType.DWordBigEndian => "REG_DWORD_BIG_ENDIAN",
        RegistryValueType.Link => "REG_LINK",
        RegistryValueType.MultiString => "REG_MULTI_SZ",
        RegistryValueType.ResourceList => "REG_RESOURCE_LIST",
        RegistryValueType.FullResourceDescriptor => "REG_FULL_RESOURCE_DESCRIPTOR",
        RegistryValueType.ResourceRequirementsList => "REG_RESOURCE_REQUIREMENTS_LIST",
        RegistryValueType.QWord => "REG_QWORD",
        _ => "REG_0x" + ((uint)type).ToString("x", CultureInfo.InvariantCulture),
    };

    /// <summary>The data as people read it (reg.exe query style): strings as text, numbers in hex, bytes as hex digits.</summary>
    public override string ToString()
    {
        if (TryGetDWord(out uint dword))
        {
            return "0x" + dword.ToString("x", CultureInfo.InvariantCulture);
        }

        if (TryGetQWord(out ulong qword))
        {
            return "0x" + qword.ToString("x", CultureInfo.InvariantCulture);
        }

        if (TryGetMultiString(out IReadOnlyList<string> items))
        {
            return string.Join("\\0", items);
        }

        if (TryGetString(out string text))
        {
            return text;
        }

        return Convert.ToHexString(_data);
    }

    /// <inheritdoc />
    public bool Equals(RegistryValue? other) =>
        other is not null && other.Type == Type && other._data.AsSpan().SequenceEqual(_data);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistryValue);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        HashCode hash = default;
        hash.Add(Type);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    private static byte[] EncodeTerminated(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var data = new byte[(text.Length + 1) * 2];
        MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(data);
        return data;
    }
}
