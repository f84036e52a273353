namespace RdLicensing.Wire.Licensing;

/// <summary>
/// [MS-RDPELE] 2.2.2.1.2.1 Scope (SCOPE): a BB_SCOPE_BLOB holding the NUL-terminated ANSI name of a license issuer.
/// https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpele/c750d5c6-aa2a-4199-9e43-852e5e104b19
/// </summary>
public sealed class Scope
{
    public const string Name = "SCOPE";

    /// <summary>The scope Windows license servers send.</summary>
    public const string Microsoft = "microsoft.com";

    public Scope(string scopeName)
    {
        _ = LicensingText.ToAnsiBytes(scopeName);
        ScopeName = scopeName;
    }

    /// <summary>The issuer name without its terminator.</summary>
    public string ScopeName { get; }

    public int EncodedSize =>
        2 // wBlobType
        + 2 // wBlobLen
        + LicensingText.AnsiSize(ScopeName); // blobData

    public static Scope Decode(ref WireReader reader)
    {
        LicenseBinaryBlob blob = LicenseBinaryBlob.Decode(ref reader, Name, "Scope", BlobType.Scope);
        return new Scope(LicensingText.DecodeAnsi(blob.BlobData, Name, "Scope"));
    }

    public void Encode(ref WireWriter writer)
    {
        writer.WriteU16LE(BlobType.Scope);
        writer.WriteU16LE((ushort)LicensingText.AnsiSize(ScopeName));
        LicensingText.WriteAnsi(ref writer, ScopeName);
    }
}
