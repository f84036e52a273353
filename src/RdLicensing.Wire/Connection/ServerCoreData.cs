namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.2 Server Core Data (TS_UD_SC_CORE), without its TS_UD_HEADER. clientRequestedProtocols and
/// earlyCapabilityFlags are optional, in that order.
/// </summary>
public sealed record ServerCoreData(uint Version, SecurityProtocols? ClientRequestedProtocols, uint? EarlyCapabilityFlags = null)
{
    public const string Name = "TS_UD_SC_CORE";

    /// <summary>RDP 5.0, 5.1, 5.2, 6.0, 6.1, 7.0, 7.1, 8.0 and 8.1 servers (0x00080004).</summary>
    public const uint Rdp5Version = 0x0008_0004;

    public int EncodedSize =>
        4 /* version */
        + (ClientRequestedProtocols is null ? 0 : 4) /* clientRequestedProtocols */
        + (ClientRequestedProtocols is null || EarlyCapabilityFlags is null ? 0 : 4); /* earlyCapabilityFlags */

    public static ServerCoreData Decode(ref WireReader reader)
    {
        uint version = reader.ReadU32LE(Name, "version");
        SecurityProtocols? requested = reader.IsEmpty ? null : (SecurityProtocols)reader.ReadU32LE(Name, "clientRequestedProtocols");
        uint? early = reader.IsEmpty ? null : reader.ReadU32LE(Name, "earlyCapabilityFlags");
        reader.EnsureEnd(Name);
        return new ServerCoreData(version, requested, early);
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE(Version);
        if (ClientRequestedProtocols is { } requested)
        {
            writer.WriteU32LE((uint)requested);
            if (EarlyCapabilityFlags is { } early)
            {
                writer.WriteU32LE(early);
            }
        }
    }
}
