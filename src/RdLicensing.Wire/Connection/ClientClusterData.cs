namespace RdLicensing.Wire.Connection;

/// <summary>[MS-RDPBCGR] 2.2.1.3.5 Client Cluster Data (TS_UD_CS_CLUSTER), without its TS_UD_HEADER.</summary>
public sealed record ClientClusterData(uint Flags, uint RedirectedSessionId)
{
    public const string Name = "TS_UD_CS_CLUSTER";

    public const int Size =
        4 /* Flags */
        + 4; /* RedirectedSessionID */

    public int EncodedSize => Size;

    public static ClientClusterData Decode(ref WireReader reader)
    {
        reader.Ensure(Size, Name);
        var data = new ClientClusterData(reader.ReadU32LE(Name, "Flags"), reader.ReadU32LE(Name, "RedirectedSessionID"));
        reader.EnsureEnd(Name);
        return data;
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(Flags);
        writer.WriteU32LE(RedirectedSessionId);
    }
}
