using System.Buffers.Binary;
using System.Text;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Cal;

/// <summary>
/// The licensed product info extension (1.3.6.1.4.1.311.18.5) as Windows writes it. The layout is not in a public
/// spec; it is read off the Windows CAL in IronRDP's capture (docs/cal-format.md), where every offset and length
/// checks out: u32 version, u32 quantity, u32 platform id, u32 language id, then u16 offset/length pairs (from the
/// start of the value) for the original and the adjusted product id (UTF-16LE, NUL included), then u16 offset and
/// u16 count of licensed versions, each u16 major, u16 minor, u32 flags.
/// </summary>
/// <param name="Version">Structure version; Windows writes 0x00003000.</param>
/// <param name="Quantity">Number of licenses; Windows writes 1.</param>
/// <param name="PlatformId">The client platform id.</param>
/// <param name="LanguageId">Language id; Windows writes 0x400.</param>
/// <param name="ProductId">The original product id, e.g. "A02".</param>
/// <param name="AdjustedProductId">The adjusted product id, e.g. "A02-6.00-S".</param>
/// <param name="LicensedVersions">The licensed product versions.</param>
public sealed record LicensedProductInfo(
    uint Version,
    uint Quantity,
    uint PlatformId,
    uint LanguageId,
    string ProductId,
    string AdjustedProductId,
    IReadOnlyList<LicensedVersion> LicensedVersions)
{
    internal const string Structure = "CAL licensed product info (1.3.6.1.4.1.311.18.5)";

    private const int HeaderSize = 4 /* version */ + 4 /* quantity */ + 4 /* platform id */ + 4 /* language id */
        + 2 + 2 /* product id offset, length */ + 2 + 2 /* adjusted product id offset, length */
        + 2 + 2 /* licensed versions offset, count */;

    private const int VersionEntrySize = 2 /* major */ + 2 /* minor */ + 4 /* flags */;

    internal byte[] Encode()
    {
        byte[] product = MicrosoftStrings.Utf16z(ProductId);
        byte[] adjusted = MicrosoftStrings.Utf16z(AdjustedProductId);
        int versionsOffset = HeaderSize + product.Length + adjusted.Length;
        byte[] value = new byte[versionsOffset + (VersionEntrySize * LicensedVersions.Count)];
        WireWriter writer = new(value);
        writer.WriteU32LE(Version);
        writer.WriteU32LE(Quantity);
        writer.WriteU32LE(PlatformId);
        writer.WriteU32LE(LanguageId);
        writer.WriteU16LE(checked((ushort)HeaderSize));
        writer.WriteU16LE(checked((ushort)product.Length));
        writer.WriteU16LE(checked((ushort)(HeaderSize + product.Length)));
        writer.WriteU16LE(checked((ushort)adjusted.Length));
        writer.WriteU16LE(checked((ushort)versionsOffset));
        writer.WriteU16LE(checked((ushort)LicensedVersions.Count));
        writer.WriteBytes(product);
        writer.WriteBytes(adjusted);
        foreach (LicensedVersion version in LicensedVersions)
        {
            writer.WriteU16LE(version.Major);
            writer.WriteU16LE(version.Minor);
            writer.WriteU32LE(version.Flags);
        }

        return value;
    }

    internal static LicensedProductInfo Decode(ReadOnlySpan<byte> value)
    {
        WireReader reader = new(value);
        uint version = reader.ReadU32LE(Structure, "dwVersion");
        uint quantity = reader.ReadU32LE(Structure, "dwQuantity");
        uint platformId = reader.ReadU32LE(Structure, "dwPlatformId");
        uint languageId = reader.ReadU32LE(Structure, "dwLanguageId");
        ushort productOffset = reader.ReadU16LE(Structure, "wProductIdOffset");
        ushort productLength = reader.ReadU16LE(Structure, "cbProductId");
        ushort adjustedOffset = reader.ReadU16LE(Structure, "wAdjustedProductIdOffset");
        ushort adjustedLength = reader.ReadU16LE(Structure, "cbAdjustedProductId");
        ushort versionsOffset = reader.ReadU16LE(Structure, "wLicensedVersionOffset");
        ushort versionsCount = reader.ReadU16LE(Structure, "wLicensedVersionCount");
        string product = MicrosoftStrings.ReadUtf16(value, productOffset, productLength, Structure, "ProductId");
        string adjusted = MicrosoftStrings.ReadUtf16(value, adjustedOffset, adjustedLength, Structure, "AdjustedProductId");

        if (versionsOffset > value.Length || (value.Length - versionsOffset) / VersionEntrySize < versionsCount)
        {
            throw ProtocolException.NotEnoughBytes(Structure, "LicensedVersions", versionsOffset + (versionsCount * VersionEntrySize), value.Length);
        }

        List<LicensedVersion> versions = new(versionsCount);
        for (int i = 0; i < versionsCount; i++)
        {
            ReadOnlySpan<byte> entry = value.Slice(versionsOffset + (i * VersionEntrySize), VersionEntrySize);
            versions.Add(new LicensedVersion(
                BinaryPrimitives.ReadUInt16LittleEndian(entry),
                BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[4..])));
        }

        return new LicensedProductInfo(version, quantity, platformId, languageId, product, adjusted, versions);
    }
}

/// <summary>One licensed product version of <see cref="LicensedProductInfo"/>.</summary>
/// <param name="Major">Major version, e.g. 6.</param>
/// <param name="Minor">Minor version, e.g. 0.</param>
/// <param name="Flags">Flags; the Windows temporary CAL in the IronRDP capture has 0x80648000 (meaning not public).</param>
public sealed record LicensedVersion(ushort Major, ushort Minor, uint Flags)
{
    /// <summary>"major.minor".</summary>
    public override string ToString() => $"{Major}.{Minor}";
}

/// <summary>
/// The license server info extension (1.3.6.1.4.1.311.18.6) as Windows writes it, read off the IronRDP capture:
/// u32 version, then three u16 offsets (relative to the end of this 10-byte header) of NUL-terminated UTF-16LE
/// strings: the license server name, its server product id and its domain; then two zero bytes.
/// </summary>
/// <param name="Version">Structure version; Windows writes 0x00003000.</param>
/// <param name="ServerName">The license server's name.</param>
/// <param name="ServerId">The license server's product id, e.g. "78440-006-5867045-70347".</param>
/// <param name="Domain">The license server's domain or workgroup (RdLicensing writes the scope here).</param>
public sealed record LicenseServerInfo(uint Version, string ServerName, string ServerId, string Domain)
{
    internal const string Structure = "CAL license server info (1.3.6.1.4.1.311.18.6)";

    private const int HeaderSize = 4 /* version */ + 2 /* name offset */ + 2 /* id offset */ + 2 /* domain offset */;

    internal byte[] Encode()
    {
        byte[] name = MicrosoftStrings.Utf16z(ServerName);
        byte[] id = MicrosoftStrings.Utf16z(ServerId);
        byte[] domain = MicrosoftStrings.Utf16z(Domain);
        byte[] value = new byte[HeaderSize + name.Length + id.Length + domain.Length + 2 /* trailing zero */];
        WireWriter writer = new(value);
        writer.WriteU32LE(Version);
        writer.WriteU16LE(0);
        writer.WriteU16LE(checked((ushort)name.Length));
        writer.WriteU16LE(checked((ushort)(name.Length + id.Length)));
        writer.WriteBytes(name);
        writer.WriteBytes(id);
        writer.WriteBytes(domain);
        writer.WriteZeros(2);
        return value;
    }

    internal static LicenseServerInfo Decode(ReadOnlySpan<byte> value)
    {
        WireReader reader = new(value);
        uint version = reader.ReadU32LE(Structure, "dwVersion");
        ushort nameOffset = reader.ReadU16LE(Structure, "wServerNameOffset");
        ushort idOffset = reader.ReadU16LE(Structure, "wServerIdOffset");
        ushort domainOffset = reader.ReadU16LE(Structure, "wDomainOffset");
        ReadOnlySpan<byte> strings = value[HeaderSize..];
        return new LicenseServerInfo(
            version,
            MicrosoftStrings.ReadUtf16z(strings, nameOffset, Structure, "ServerName"),
            MicrosoftStrings.ReadUtf16z(strings, idOffset, Structure, "ServerId"),
            MicrosoftStrings.ReadUtf16z(strings, domainOffset, Structure, "Domain"));
    }
}

/// <summary>UTF-16LE strings with a terminating NUL, as the Microsoft CAL extensions store them.</summary>
internal static class MicrosoftStrings
{
    public static byte[] Utf16z(string value) => Encoding.Unicode.GetBytes(value + "\0");

    /// <summary>A string of exactly <paramref name="length"/> bytes at <paramref name="offset"/>; one trailing NUL is dropped.</summary>
    public static string ReadUtf16(ReadOnlySpan<byte> value, int offset, int length, string structure, string field)
    {
        if (offset > value.Length || value.Length - offset < length)
        {
            throw ProtocolException.NotEnoughBytes(structure, field, offset + length, value.Length);
        }

        if (length % 2 != 0)
        {
            throw ProtocolException.InvalidField(structure, field, $"odd utf-16 length {length}");
        }

        string text = Encoding.Unicode.GetString(value.Slice(offset, length));
        return text.EndsWith('\0') ? text[..^1] : text;
    }

    /// <summary>A NUL-terminated string starting at <paramref name="offset"/>.</summary>
    public static string ReadUtf16z(ReadOnlySpan<byte> value, int offset, string structure, string field)
    {
        if (offset > value.Length)
        {
            throw ProtocolException.NotEnoughBytes(structure, field, offset, value.Length);
        }

        ReadOnlySpan<byte> rest = value[offset..];
        for (int i = 0; i + 1 < rest.Length; i += 2)
        {
            if (rest[i] == 0 && rest[i + 1] == 0)
            {
                return Encoding.Unicode.GetString(rest[..i]);
            }
        }

        throw ProtocolException.InvalidField(structure, field, "utf-16 string has no terminating nul");
    }

    /// <summary>The company name of the manufacturer extension (1.3.6.1.4.1.311.18.2).</summary>
    public static string ReadManufacturer(ReadOnlySpan<byte> value)
    {
        const string Structure = "CAL manufacturer (1.3.6.1.4.1.311.18.2)";
        if (value.Length % 2 != 0)
        {
            throw ProtocolException.InvalidField(Structure, "CompanyName", $"odd utf-16 length {value.Length}");
        }

        return Encoding.Unicode.GetString(value).TrimEnd('\0');
    }
}
