using System.Formats.Asn1;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Cal;

/// <summary>
/// The RdLicensing CAL extension (<see cref="CalOids.RdLicensingCal"/>), DER:
/// <code>
/// RdLicensingCal ::= SEQUENCE {
///   version          INTEGER (1),
///   licenseId        UTF8String,
///   hwid             [0] IMPLICIT OCTET STRING OPTIONAL,
///   machineName      [1] IMPLICIT UTF8String OPTIONAL,
///   userName         [2] IMPLICIT UTF8String OPTIONAL,
///   productVersion   UTF8String,
///   calType          UTF8String,
///   temporary        BOOLEAN,
///   licenseServerId  UTF8String,
///   scope            UTF8String,
///   companyName      UTF8String,
///   productId        UTF8String }
/// </code>
/// The validity and the license server's name are the certificate's own (docs/cal-format.md).
/// </summary>
internal static class RdLicensingCalExtension
{
    public const int Version = 1;

    private const string Structure = "CAL rdlicensing extension";

    private static readonly Asn1Tag HwidTag = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag MachineTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag UserTag = new(TagClass.ContextSpecific, 2);

    public static byte[] Encode(ClientLicenseContent content)
    {
        AsnWriter writer = new(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(Version);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.LicenseId);
            if (content.Hwid is not null)
            {
                writer.WriteOctetString(content.Hwid, HwidTag);
            }

            if (content.MachineName is not null)
            {
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.MachineName, MachineTag);
            }

            if (content.UserName is not null)
            {
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.UserName, UserTag);
            }

            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.ProductVersion);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.CalType);
            writer.WriteBoolean(content.Temporary);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.LicenseServerId);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.Scope);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.CompanyName);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, content.ProductId);
        }

        return writer.Encode();
    }

    /// <summary>Decodes the extension value; the validity and server name come from the certificate.</summary>
    public static ClientLicenseContent Decode(ReadOnlyMemory<byte> value, string licenseServerName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        try
        {
            AsnReader outer = new(value, AsnEncodingRules.DER);
            AsnReader sequence = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (!sequence.TryReadInt32(out int version) || version != Version)
            {
                throw ProtocolException.InvalidField(Structure, "version", "unsupported version (expected 1)");
            }

            string licenseId = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            byte[]? hwid = sequence.PeekTag().HasSameClassAndValue(HwidTag) ? sequence.ReadOctetString(HwidTag) : null;
            string? machine = sequence.PeekTag().HasSameClassAndValue(MachineTag)
                ? sequence.ReadCharacterString(UniversalTagNumber.UTF8String, MachineTag)
                : null;
            string? user = sequence.PeekTag().HasSameClassAndValue(UserTag)
                ? sequence.ReadCharacterString(UniversalTagNumber.UTF8String, UserTag)
                : null;
            string productVersion = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            string calType = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            bool temporary = sequence.ReadBoolean();
            string serverId = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            string scope = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            string company = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            string productId = sequence.ReadCharacterString(UniversalTagNumber.UTF8String);
            sequence.ThrowIfNotEmpty();
            return new ClientLicenseContent(
                licenseId, hwid, machine, user, productVersion, calType, temporary, notBefore, notAfter,
                licenseServerName, serverId, scope, company, productId);
        }
        catch (AsnContentException e)
        {
            throw ProtocolException.InvalidField(Structure, "value", $"malformed der: {e.Message}");
        }
    }
}
