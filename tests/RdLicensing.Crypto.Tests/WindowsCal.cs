using System.Buffers.Binary;
using System.Text;

namespace RdLicensing.Crypto.Tests;

/// <summary>
/// The Windows CAL of IronRDP's capture (TestData/windows-new-license-info.hex): a decrypted NEW_LICENSE_INFO
/// ([MS-RDPELE] 2.2.2.6.1) whose pbLicenseInfo is the CAL a Windows license server issued.
/// </summary>
internal static class WindowsCal
{
    public static readonly byte[] NewLicenseInfo = TestData.Hex("windows-new-license-info.hex");

    /// <summary>pbLicenseInfo, located by walking the NEW_LICENSE_INFO fields (every length is a u32).</summary>
    public static byte[] LicenseInfo
    {
        get
        {
            ReadOnlySpan<byte> rest = NewLicenseInfo.AsSpan(4); // dwVersion
            for (int skipped = 0; skipped < 3; skipped++) // scope, company name, product id
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(rest);
                rest = rest[(4 + length)..];
            }

            int licenseLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(rest);
            return rest.Slice(4, licenseLength).ToArray();
        }
    }

    /// <summary>The HWID bound in the CAL's subject (serialNumber = base64 with a trailing CR LF).</summary>
    public static readonly byte[] Hwid = Convert.FromBase64String("1BcKedy2krO4/MCDLI1AHZcPias=");

    public static string Scope => Encoding.ASCII.GetString(NewLicenseInfo.AsSpan(8, 13));
}
