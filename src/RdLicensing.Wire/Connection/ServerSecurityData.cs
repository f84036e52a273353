namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.4.3 Server Security Data (TS_UD_SC_SEC1), without its TS_UD_HEADER. When encryptionMethod
/// and encryptionLevel are both zero (Enhanced RDP Security) nothing follows; otherwise the 32-byte server random
/// and the server certificate (2.2.1.4.3.1) follow, each preceded by its length.
/// </summary>
public sealed class ServerSecurityData
{
    public const string Name = "TS_UD_SC_SEC1";

    /// <summary>2.2.1.4.3: serverRandomLen MUST be 32 when present.</summary>
    public const int ServerRandomSize = 32;

    public EncryptionMethods EncryptionMethod { get; init; }

    public EncryptionLevel EncryptionLevel { get; init; }

    public byte[]? ServerRandom { get; init; }

    /// <summary>The SERVER_CERTIFICATE (proprietary or X.509 chain), verbatim.</summary>
    public byte[]? ServerCertificate { get; init; }

    private bool HasKeyMaterial => EncryptionMethod != EncryptionMethods.None || EncryptionLevel != EncryptionLevel.None;

    public int EncodedSize =>
        4 /* encryptionMethod */
        + 4 /* encryptionLevel */
        + (HasKeyMaterial
            ? 4 /* serverRandomLen */
              + 4 /* serverCertLen */
              + (ServerRandom?.Length ?? 0) /* serverRandom */
              + (ServerCertificate?.Length ?? 0) /* serverCertificate */
            : 0);

    public static ServerSecurityData Decode(ref WireReader reader)
    {
        var method = (EncryptionMethods)reader.ReadU32LE(Name, "encryptionMethod");
        var level = (EncryptionLevel)reader.ReadU32LE(Name, "encryptionLevel");
        if (method == EncryptionMethods.None && level == EncryptionLevel.None)
        {
            reader.EnsureEnd(Name);
            return new ServerSecurityData();
        }

        uint randomLength = reader.ReadU32LE(Name, "serverRandomLen");
        uint certificateLength = reader.ReadU32LE(Name, "serverCertLen");
        if (randomLength != ServerRandomSize)
        {
            throw ProtocolException.InvalidField(Name, "serverRandomLen", $"expected 32, got {randomLength}");
        }

        byte[] random = reader.ReadBytes(ServerRandomSize, Name, "serverRandom").ToArray();
        if (certificateLength > reader.Remaining)
        {
            throw ProtocolException.NotEnoughBytes(Name, "serverCertificate", (int)Math.Min(certificateLength, int.MaxValue), reader.Remaining);
        }

        byte[] certificate = reader.ReadBytes((int)certificateLength, Name, "serverCertificate").ToArray();
        reader.EnsureEnd(Name);
        return new ServerSecurityData { EncryptionMethod = method, EncryptionLevel = level, ServerRandom = random, ServerCertificate = certificate };
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU32LE((uint)EncryptionMethod);
        writer.WriteU32LE((uint)EncryptionLevel);
        if (!HasKeyMaterial)
        {
            return;
        }

        if (ServerRandom is not { Length: ServerRandomSize })
        {
            throw new InvalidOperationException("standard rdp security needs a 32-byte server random");
        }

        writer.WriteU32LE(ServerRandomSize);
        writer.WriteU32LE((uint)(ServerCertificate?.Length ?? 0));
        writer.WriteBytes(ServerRandom);
        writer.WriteBytes(ServerCertificate);
    }
}
