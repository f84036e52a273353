using System.Text;

namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.3.4.1 Channel Definition Structure (CHANNEL_DEF): an 8-byte ANSI name and options.</summary>
public sealed record ChannelDefinition(string ChannelName, uint Options)
{
    public const string Name = "CHANNEL_DEF";

    public const int Size =
        8 /* name */
        + 4; /* options */

    public int EncodedSize => Size;

    public static ChannelDefinition Decode(ref WireReader reader)
    {
        ReadOnlySpan<byte> name = reader.ReadBytes(8, Name, "name");
        int end = name.IndexOf((byte)0);
        ReadOnlySpan<byte> text = end < 0 ? name : name[..end];
        if (text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            throw ProtocolException.InvalidField(Name, "name", "the channel name is not printable ascii");
        }

        return new ChannelDefinition(Encoding.ASCII.GetString(text), reader.ReadU32LE(Name, "options"));
    }

    public void Encode(ref WireWriter writer)
    {
        byte[] name = Encoding.ASCII.GetBytes(ChannelName);
        if (name.Length > 8)
        {
            throw new ArgumentException($"channel name \"{ChannelName}\" is longer than 8 bytes");
        }

        writer.WriteBytes(name);
        writer.WriteZeros(8 - name.Length);
        writer.WriteU32LE(Options);
    }
}
