using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RdLicensing.Wire;

namespace RdLicensing.Crypto.Cal;

/// <summary>The outcome of <see cref="ClientLicenseVerifier.Verify"/>, in the order the checks run.</summary>
public enum ClientLicenseStatus
{
    /// <summary>Every check passed.</summary>
    Valid,

    /// <summary>The bytes are not a CAL (<see cref="ClientLicenseReader"/> rejected them).</summary>
    Malformed,

    /// <summary>The client-license certificate's signature does not verify under the bundled license server key.</summary>
    BadSignature,

    /// <summary>The issuing license server's certificate is missing or does not lead to a trusted certificate.</summary>
    UntrustedIssuer,

    /// <summary>The CAL is bound to another hardware id (or to none).</summary>
    HwidMismatch,

    /// <summary>The CAL's validity starts after <c>now</c>.</summary>
    NotYetValid,

    /// <summary>The CAL's validity ended before <c>now</c>.</summary>
    Expired,
}

/// <summary>A verification result: the status, the decoded CAL when it decoded, and a lower-case reason.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="License">The decoded CAL, null when <see cref="ClientLicenseStatus.Malformed"/>.</param>
/// <param name="Detail">Why, in words for logs and the diagnoser.</param>
public sealed record ClientLicenseVerification(ClientLicenseStatus Status, ClientLicenseInfo? License, string Detail)
{
    /// <summary>True when <see cref="Status"/> is <see cref="ClientLicenseStatus.Valid"/>.</summary>
    public bool IsValid => Status == ClientLicenseStatus.Valid;
}

/// <summary>
/// Verifies a presented CAL as a session host must before accepting it (DESIGN.md section 2; [MS-RDPELE] 3.2.5.3):
/// the client-license certificate is signed by the license server certificate in the bundle; that certificate is
/// trusted (it is one of <c>trusted</c>, or a chain of signatures leads from it to one, each issuer a CA); the CAL is
/// bound to the presented HWID; and <c>now</c> is within its validity. Signatures are checked explicitly, without
/// X509Chain or the OS trust store: Windows CALs carry SHA-1 signatures and critical Microsoft extensions that
/// platform chain engines reject, and the result must not depend on the machine.
/// </summary>
public static class ClientLicenseVerifier
{
    private const int MaxChainDepth = 8;

    /// <summary>Verifies <paramref name="cal"/>; never throws for malformed input (that is <see cref="ClientLicenseStatus.Malformed"/>).</summary>
    /// <param name="cal">The CAL bytes as presented in CLIENT_LICENSE_INFO.LicenseInfo.</param>
    /// <param name="trusted">Trusted certificates: the deployment CA and/or license server certificates.</param>
    /// <param name="hwid">The decrypted CLIENT_HARDWARE_ID of the presenting client.</param>
    /// <param name="now">The time to check validity at (from the caller's TimeProvider).</param>
    public static ClientLicenseVerification Verify(
        ReadOnlySpan<byte> cal,
        IReadOnlyCollection<X509Certificate2> trusted,
        ReadOnlySpan<byte> hwid,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ClientLicenseInfo info;
        CalCertificate client;
        CalCertificate? issuer;
        IReadOnlyList<CalCertificate> bundle;
        try
        {
            (info, client, issuer, bundle) = ClientLicenseReader.Parse(cal);
        }
        catch (ProtocolException e)
        {
            return new ClientLicenseVerification(ClientLicenseStatus.Malformed, null, e.Message);
        }

        if (issuer is null)
        {
            return new ClientLicenseVerification(ClientLicenseStatus.UntrustedIssuer, info, "the cal carries no certificate of its issuer");
        }

        if (!client.IsSignedBy(issuer))
        {
            return new ClientLicenseVerification(ClientLicenseStatus.BadSignature, info, "the client license certificate is not signed by the license server certificate in the cal");
        }

        List<CalCertificate> anchors = [];
        foreach (X509Certificate2 certificate in trusted)
        {
            try
            {
                anchors.Add(CalCertificate.Parse(certificate.RawData, "trusted certificate"));
            }
            catch (ProtocolException)
            {
                // A trusted certificate we cannot parse anchors nothing.
            }
        }

        if (!LeadsToTrust(issuer, anchors, bundle))
        {
            return new ClientLicenseVerification(ClientLicenseStatus.UntrustedIssuer, info, $"the license server certificate of \"{info.Issuer}\" is not trusted");
        }

        byte[]? bound = info.HardwareId;
        bool hwidMatches = bound is null ? hwid.IsEmpty : CryptographicOperations.FixedTimeEquals(bound, hwid);
        if (!hwidMatches)
        {
            return new ClientLicenseVerification(ClientLicenseStatus.HwidMismatch, info, bound is null ? "the cal is bound to no hardware id" : "the cal is bound to another hardware id");
        }

        if (now < info.ValidFrom)
        {
            return new ClientLicenseVerification(ClientLicenseStatus.NotYetValid, info, $"the cal is valid from {info.ValidFrom:u}");
        }

        if (now > info.ExpiresOn)
        {
            return new ClientLicenseVerification(ClientLicenseStatus.Expired, info, $"the cal expired on {info.ExpiresOn:u}");
        }

        return new ClientLicenseVerification(ClientLicenseStatus.Valid, info, "valid");
    }

    private static bool LeadsToTrust(CalCertificate certificate, List<CalCertificate> anchors, IReadOnlyList<CalCertificate> bundle)
    {
        CalCertificate current = certificate;
        for (int depth = 0; depth < MaxChainDepth; depth++)
        {
            if (anchors.Any(a => a.Raw.AsSpan().SequenceEqual(current.Raw)))
            {
                return true;
            }

            // One step up: a trusted or bundled CA whose subject is this certificate's issuer and whose key signed it.
            CalCertificate? parent = anchors.Concat(bundle).FirstOrDefault(candidate =>
                !candidate.Raw.AsSpan().SequenceEqual(current.Raw)
                && candidate.Subject.Span.SequenceEqual(current.Issuer.Span)
                && candidate.IsCertificateAuthority
                && current.IsSignedBy(candidate));
            if (parent is null)
            {
                return false;
            }

            current = parent;
        }

        return false;
    }
}
