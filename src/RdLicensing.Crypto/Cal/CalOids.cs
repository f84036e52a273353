namespace RdLicensing.Crypto.Cal;

/// <summary>Object identifiers found in CALs (docs/cal-format.md).</summary>
public static class CalOids
{
    /// <summary>PKCS#7 signedData (RFC 5652 section 5.1).</summary>
    public const string SignedData = "1.2.840.113549.1.7.2";

    /// <summary>PKCS#7 data (RFC 5652 section 4).</summary>
    public const string Data = "1.2.840.113549.1.7.1";

    /// <summary>Microsoft license version extension; Windows writes the four bytes 01 00 05 00.</summary>
    public const string MicrosoftLicenseVersion = "1.3.6.1.4.1.311.18.4";

    /// <summary>Microsoft manufacturer extension: the company name, UTF-16LE with a terminating NUL.</summary>
    public const string MicrosoftManufacturer = "1.3.6.1.4.1.311.18.2";

    /// <summary>Microsoft licensed product info extension (platform id, product ids, licensed versions).</summary>
    public const string MicrosoftLicensedProductInfo = "1.3.6.1.4.1.311.18.5";

    /// <summary>Microsoft license server info extension (server name, server product id, domain).</summary>
    public const string MicrosoftLicenseServerInfo = "1.3.6.1.4.1.311.18.6";

    /// <summary>
    /// The RdLicensing CAL extension, which binds all of <see cref="ClientLicenseContent"/>. A UUID-derived OID
    /// (ITU-T X.667, arc 2.25) for UUID e8371e88-fd98-4d21-82b8-7447b7ded912, so it needs no registration.
    /// </summary>
    public const string RdLicensingCal = "2.25.308667090675121937973077914311706204434";

    /// <summary>id-at-commonName.</summary>
    public const string CommonName = "2.5.4.3";

    /// <summary>id-at-localityName: Windows puts the client user name here.</summary>
    public const string Locality = "2.5.4.7";

    /// <summary>id-at-serialNumber: Windows puts the base64 of the client's hardware id here.</summary>
    public const string SerialNumber = "2.5.4.5";
}
