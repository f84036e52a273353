using RdLicensing.Domain;

namespace RdLicensing.Server.Ui;

/// <summary>
/// The license programs of the Install Licenses wizard and the code each one asks for. <see cref="Pattern"/> is what the
/// page checks as the admin types (a regular expression valid in .NET and in JavaScript with the 'v' flag, read by Ui/Assets/site.js); the server always checks again
/// with <see cref="KeyPackCode.Parse"/>, which is the rule. Tests keep the two in agreement.
/// </summary>
/// <param name="Program">The program.</param>
/// <param name="Title">How the wizard names it.</param>
/// <param name="Description">When to choose it.</param>
/// <param name="CodeLabel">The label of the code field.</param>
/// <param name="Format">The code's format, shown under the field.</param>
/// <param name="Example">An example code.</param>
/// <param name="Pattern">The code's format as a regular expression over the trimmed text (case-insensitive letters).</param>
public sealed record CodeFormat(LicenseProgram Program, string Title, string Description, string CodeLabel, string Format, string Example, string Pattern)
{
    /// <summary>A license key pack id from the Clearinghouse: 35 letters or digits, compact or as 7 groups of 5 (any program).</summary>
    public const string KeyPackIdPattern = "[A-Za-z0-9]{35}|[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){6}";

    private const string AgreementPattern = "[0-9]{7}";

    /// <summary>The programs in the wizard's order.</summary>
    public static IReadOnlyList<CodeFormat> All { get; } =
    [
        new(LicenseProgram.Retail, "License Pack (Retail Purchase)", "CALs bought in a box or from a retailer",
            "License code", "25 letters or digits in five groups of 5", "ABCDE-12345-FGHIJ-67890-KLMNO",
            "[A-Za-z0-9]{25}|[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){4}"),
        new(LicenseProgram.Open, "Open License", "CALs under an Open License agreement",
            "License number and authorization number", "the 8-digit license number, '/', and the 15-character authorization number", "12345678/ABCDE12345FGHIJ",
            @"[0-9]{8}[\/:\- ][A-Za-z0-9]{15}"),
        new(LicenseProgram.Select, "Select License", "CALs under a Select or Select Plus agreement",
            "Agreement number", "7 digits", "1234567", AgreementPattern),
        new(LicenseProgram.Enterprise, "Enterprise Agreement", "CALs under an Enterprise Agreement",
            "Enrollment number", "7 digits", "4965437", AgreementPattern),
        new(LicenseProgram.Campus, "Campus Agreement", "CALs under a Campus Agreement",
            "Enrollment number", "7 digits", "1234567", AgreementPattern),
        new(LicenseProgram.School, "School Agreement", "CALs under a School Agreement",
            "Enrollment number", "7 digits", "1234567", AgreementPattern),
        new(LicenseProgram.ServicesProvider, "Services Provider License Agreement", "CALs of a hosting provider (SPLA)",
            "Agreement number", "7 digits", "1234567", AgreementPattern),
        new(LicenseProgram.Other, "Other agreement", "any other agreement with an agreement number",
            "Agreement number", "7 digits", "1234567", AgreementPattern),
    ];

    /// <summary>The wire name of the program ("retail", "services-provider").</summary>
    public string Name => WireNames.Of(Program);

    /// <summary>The whole check as the page runs it: this program's code, or a key pack id.</summary>
    public string ClientPattern => $"(?:{Pattern})|(?:{KeyPackIdPattern})";

    /// <summary>The format for <paramref name="name"/> (a wire name), or null.</summary>
    public static CodeFormat? Find(string? name) =>
        WireNames.TryParse(name, out LicenseProgram program) ? All.FirstOrDefault(f => f.Program == program) : null;
}
