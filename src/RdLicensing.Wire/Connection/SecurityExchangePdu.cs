namespace RdLicensing.Wire.Connection;

/// <summary>
/// [MS-RDPBCGR] 2.2.1.10.1 Security Exchange PDU Data (TS_SECURITY_PACKET): a basic security header with
/// SEC_EXCHANGE_PKT, the length, and the client random encrypted with the server's public key (5.3.4), which
/// includes 8 bytes of padding.
/// </summary>
public sealed class SecurityExchangePdu
{
    public const string Name = "TS_SECURITY_PACKET";

    /// <summary>The largest encrypted client random accepted: a 4096-bit modulus plus the 8 padding bytes.</summary>
    public const int MaxEncryptedClientRandomSize = 512 + 8;

    public SecurityFlags Flags { get; init; } = SecurityFlags.ExchangePacket;

    public ushort FlagsHi { get; init; }

    public required byte[] EncryptedClientRandom { get; init; }

    public int EncodedSize =>
        BasicSecurityHeader.Size /* basicSecurityHeader */
        + 4 /* length */
        + EncryptedClientRandom.Length; /* encryptedClientRandom */

    public static SecurityExchangePdu Decode(ref WireReader reader)
    {
        BasicSecurityHeader header = BasicSecurityHeader.Decode(ref reader);
        if ((header.Flags & SecurityFlags.ExchangePacket) == 0)
        {
            throw new ProtocolException(DecodeErrorKind.UnexpectedMessageType, Name, "flags", "SEC_EXCHANGE_PKT is not set");
        }

        uint length = reader.ReadU32LE(Name, "length");
        if (length > MaxEncryptedClientRandomSize)
        {
            throw ProtocolException.InvalidField(Name, "length", $"{length} exceeds the limit of {MaxEncryptedClientRandomSize}");
        }

        byte[] random = reader.ReadBytes((int)length, Name, "encryptedClientRandom").ToArray();
        reader.EnsureEnd(Name);
        return new SecurityExchangePdu { Flags = header.Flags, FlagsHi = header.FlagsHi, EncryptedClientRandom = random };
    }

    public void Encode(ref WireWriter writer)
    {
        new BasicSecurityHeader(Flags, FlagsHi).Encode(ref writer);
        writer.WriteU32LE((uint)EncryptedClientRandom.Length);
        writer.WriteBytes(EncryptedClientRandom);
    }
}
