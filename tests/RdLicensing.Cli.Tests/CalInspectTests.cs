using System.Buffers.Binary;
using System.Text.Json;
using RdLicensing.Cli.Tests.Support;

namespace RdLicensing.Cli.Tests;

/// <summary>
/// <c>rdlic cal inspect</c> on Windows' own CAL (IronRDP's capture of a Windows license server's NEW_LICENSE_INFO) as
/// a raw .cal file (how rdesktop and FreeRDP store it) and as hex text; bad files are clear errors (exit 1).
/// </summary>
public sealed class CalInspectTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rdlic-cal-").FullName;

    /// <summary>pbLicenseInfo of the captured NEW_LICENSE_INFO: after dwVersion, scope, company and product (u32 lengths).</summary>
    private static byte[] WindowsCal()
    {
        string hex = string.Concat(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "windows-new-license-info.hex"))
            .Where(l => !l.TrimStart().StartsWith('#')).Select(l => l.Trim()));
        ReadOnlySpan<byte> rest = Convert.FromHexString(hex).AsSpan(4);
        for (int i = 0; i < 3; i++)
        {
            rest = rest[(4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(rest))..];
        }

        return rest.Slice(4, (int)BinaryPrimitives.ReadUInt32LittleEndian(rest)).ToArray();
    }

    [Fact]
    public async Task The_windows_cal_decodes_from_a_cal_file()
    {
        string file = Path.Combine(_directory, "0123456789abcdef0123456789abcdef01234567.cal");
        await File.WriteAllBytesAsync(file, WindowsCal(), TestContext.Current.CancellationToken);

        RdlicResult table = await Rdlic.RunAsync(["cal", "inspect", file]);
        Assert.True(table.ExitCode == 0, table.ToString());
        foreach (string expected in new[] { "Issuer", "RODENT", "Issued to user", "Administrator", "License ID", "030000000F", "Type/Version", "A02 6.0", "Valid From", "Expires On" })
        {
            Assert.Contains(expected, table.StdOut, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Hardware ID", table.StdOut, StringComparison.Ordinal);

        RdlicResult all = await Rdlic.RunAsync(["cal", "inspect", file, "--all", "--json"]);
        Assert.True(all.ExitCode == 0, all.ToString());
        JsonElement json = JsonDocument.Parse(all.StdOut).RootElement;
        Assert.Equal("windows", json.GetProperty("format").GetString());
        Assert.Equal("RODENT", json.GetProperty("issuer").GetString());
        Assert.Equal("Administrator", json.GetProperty("issuedToUser").GetString());
        Assert.Equal("030000000F", json.GetProperty("licenseId").GetString());
        Assert.Equal("A02 6.0", json.GetProperty("typeAndVersion").GetString());
        Assert.Equal(new DateTimeOffset(2007, 6, 20, 14, 51, 35, TimeSpan.Zero), json.GetProperty("validFrom").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2007, 9, 18, 14, 51, 35, TimeSpan.Zero), json.GetProperty("expiresOn").GetDateTimeOffset());
        Assert.Equal(0x00050001u, json.GetProperty("serverCertificateVersion").GetUInt32());
        Assert.Equal("6.0", json.GetProperty("licensedProductVersion").GetString());
        Assert.Equal(0xFFu, json.GetProperty("clientPlatformId").GetUInt32());
        Assert.Equal("Microsoft Corporation", json.GetProperty("companyName").GetString());
        Assert.Equal(40, json.GetProperty("hardwareId").GetString()!.Length);
    }

    [Fact]
    public async Task The_windows_cal_decodes_from_hex_text()
    {
        string file = Path.Combine(_directory, "windows.hex");
        await File.WriteAllTextAsync(file, "# pbLicenseInfo\n" + string.Join("\n", Convert.ToHexString(WindowsCal()).Chunk(64).Select(c => new string(c))), TestContext.Current.CancellationToken);
        RdlicResult result = await Rdlic.RunAsync(["cal", "inspect", file, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("030000000F", JsonDocument.Parse(result.StdOut).RootElement.GetProperty("licenseId").GetString());
    }

    [Theory]
    [InlineData("missing", "file not found")]
    [InlineData("garbage", "not a CAL")]
    [InlineData("truncated", "not a CAL")]
    [InlineData("empty", "empty file")]
    public async Task Bad_files_are_clear_errors(string kind, string message)
    {
        string file = Path.Combine(_directory, kind + ".cal");
        switch (kind)
        {
            case "garbage":
                await File.WriteAllTextAsync(file, "this is not a license", TestContext.Current.CancellationToken);
                break;
            case "truncated":
                await File.WriteAllBytesAsync(file, WindowsCal()[..200], TestContext.Current.CancellationToken);
                break;
            case "empty":
                await File.WriteAllBytesAsync(file, [], TestContext.Current.CancellationToken);
                break;
        }

        RdlicResult result = await Rdlic.RunAsync(["cal", "inspect", file]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
