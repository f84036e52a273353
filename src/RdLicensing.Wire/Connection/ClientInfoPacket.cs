using System.Text;

namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.11.1.1 Info Packet (TS_INFO_PACKET): code page, flags and five strings, each written with a
/// terminator that its cb* length excludes (two bytes when INFO_UNICODE is set, one otherwise), then the optional
/// extended info (2.2.1.11.1.1.1), kept verbatim.
/// </summary>
public sealed class ClientInfoPacket
{
    public const string Name = "TS_INFO_PACKET";

    /// <summary>INFO_UNICODE: the strings are UTF-16LE.</summary>
    public const uint InfoUnicode = 0x0000_0010;

    /// <summary>2.2.1.11.1.1: the largest cb* value any string field may carry (cbAlternateShell, cbWorkingDir: 512).</summary>
    public const int MaxStringBytes = 512;

    public const int FixedSize =
        4 /* CodePage */
        + 4 /* flags */
        + 2 /* cbDomain */
        + 2 /* cbUserName */
        + 2 /* cbPassword */
        + 2 /* cbAlternateShell */
        + 2; /* cbWorkingDir */

    public uint CodePage { get; init; }

    public uint Flags { get; init; }

    public string Domain { get; init; } = "";

    public string UserName { get; init; } = "";

    public string Password { get; init; } = "";

    public string AlternateShell { get; init; } = "";

    public string WorkingDir { get; init; } = "";

    /// <summary>extraInfo (TS_EXTENDED_INFO_PACKET), verbatim; empty when absent.</summary>
    public byte[] ExtraInfo { get; init; } = [];

    private bool IsUnicode => (Flags & InfoUnicode) != 0;

    private int TerminatorSize => IsUnicode ? 2 : 1;

    public int EncodedSize =>
        FixedSize
        + StringSize(Domain) + TerminatorSize /* Domain */
        + StringSize(UserName) + TerminatorSize /* UserName */
        + StringSize(Password) + TerminatorSize /* Password */
        + StringSize(AlternateShell) + TerminatorSize /* AlternateShell */
        + StringSize(WorkingDir) + TerminatorSize /* WorkingDir */
        + ExtraInfo.Length; /* extraInfo */

    public static ClientInfoPacket Decode(ref WireReader reader)
    {
        reader.Ensure(FixedSize, Name);
        uint codePage = reader.ReadU32LE(Name, "CodePage");
        uint flags = reader.ReadU32LE(Name, "flags");
        bool unicode = (flags & InfoUnicode) != 0;
        ushort cbDomain = reader.ReadU16LE(Name, "cbDomain");
        ushort cbUserName = reader.ReadU16LE(Name, "cbUserName");
        ushort cbPassword = reader.ReadU16LE(Name, "cbPassword");
        ushort cbAlternateShell = reader.ReadU16LE(Name, "cbAlternateShell");
        ushort cbWorkingDir = reader.ReadU16LE(Name, "cbWorkingDir");
        string domain = ReadString(ref reader, cbDomain, unicode, "Domain");
        string userName = ReadString(ref reader, cbUserName, unicode, "UserName");
        string password = ReadString(ref reader, cbPassword, unicode, "Password");
        string alternateShell = ReadString(ref reader, cbAlternateShell, unicode, "AlternateShell");
        string workingDir = ReadString(ref reader, cbWorkingDir, unicode, "WorkingDir");
        byte[] extra = reader.RemainingSpan.ToArray();
        reader.Skip(extra.Length, Name, "extraInfo");
        return new ClientInfoPacket
        {
            CodePage = codePage,
            Flags = flags,
            Domain = domain,
            UserName = userName,
            Password = password,
            AlternateShell = alternateShell,
            WorkingDir = workingDir,
            ExtraInfo = extra,
        };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(CodePage);
        writer.WriteU32LE(Flags);
        writer.WriteU16LE((ushort)StringSize(Domain));
        writer.WriteU16LE((ushort)StringSize(UserName));
        writer.WriteU16LE((ushort)StringSize(Password));
        writer.WriteU16LE((ushort)StringSize(AlternateShell));
        writer.WriteU16LE((ushort)StringSize(WorkingDir));
        foreach (string value in (ReadOnlySpan<string>)[Domain, UserName, Password, AlternateShell, WorkingDir])
        {
            writer.WriteBytes(Encode(value));
            writer.WriteZeros(TerminatorSize);
        }

        writer.WriteBytes(ExtraInfo);
    }

    private int StringSize(string value) => IsUnicode ? Encoding.Unicode.GetByteCount(value) : Encoding.Latin1.GetByteCount(value);

    private byte[] Encode(string value) => IsUnicode ? Encoding.Unicode.GetBytes(value) : Encoding.Latin1.GetBytes(value);

    private static string ReadString(ref WireReader reader, ushort size, bool unicode, string field)
    {
        if (size > MaxStringBytes)
        {
            throw ProtocolException.InvalidField(Name, field, $"{size} bytes exceed the limit of {MaxStringBytes}");
        }

        if (unicode && size % 2 != 0)
        {
            throw ProtocolException.InvalidField(Name, field, $"odd length {size} for a utf-16 string");
        }

        ReadOnlySpan<byte> bytes = reader.ReadBytes(size, Name, field);
        reader.Skip(unicode ? 2 : 1, Name, field);
        string text = unicode ? Encoding.Unicode.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        int nul = text.IndexOf('\0');
        return nul < 0 ? text : text[..nul];
    }
}
