using System.Text.RegularExpressions;
using RdLicensing.Domain;
using RdLicensing.Server.Ui;

namespace RdLicensing.Browser.Tests;

/// <summary>The wizard's as-you-type patterns agree with <see cref="KeyPackCode.Parse"/>, the rule the server applies.</summary>
public sealed class CodeFormatTests
{
    public static TheoryData<string> Samples() =>
    [
        "1234567", "123456", "12345678", "abcdefg", " 7654321 ", "123 4567",
        "BCDFG-HJKMP-QRTVW-XY234-67892", "bcdfghjkmpqrtvwxy23467892", "BCDFG-HJKMP-QRTVW-XY234-6789", "BCDFG HJKMP QRTVW XY234 67892",
        "BCDFGHJKMP-QRTVW-XY234-67892", "BCDFG-HJKMP-QRTVW-XY234-6789!",
        "12345678/ABCDE12345FGHIJ", "12345678:ABCDE12345FGHIJ", "12345678-ABCDE12345FGHIJ", "12345678 ABCDE12345FGHIJ", "12345678/ABCDE12345FGHI",
        "1234567X/ABCDE12345FGHIJ", "12345678ABCDE12345FGHIJ", "12345678//BCDE12345FGHIJ",
        "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z0123-45678", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345678", "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z0123-4567",
        "", "-", "ÄBCDE-FGHIJ-KLMNO-PQRST-UVWXY",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Pattern_accepts_exactly_what_the_server_accepts(string code)
    {
        foreach (CodeFormat format in CodeFormat.All)
        {
            bool server;
            try
            {
                KeyPackCode.Parse(format.Program, code);
                server = true;
            }
            catch (LicensingException)
            {
                server = false;
            }

            bool page = Regex.IsMatch(code.Trim(), "^(?:" + format.ClientPattern + ")$", RegexOptions.CultureInvariant);
            Assert.True(server == page, $"{format.Name} '{code}': server {(server ? "accepts" : "refuses")}, page {(page ? "accepts" : "refuses")}");
        }
    }

    [Fact]
    public void Every_program_has_a_format_and_its_example_is_valid()
    {
        Assert.Equal(Enum.GetValues<LicenseProgram>().Order(), CodeFormat.All.Select(f => f.Program).Order());
        Assert.All(CodeFormat.All, f => KeyPackCode.Parse(f.Program, f.Example));
    }
}
