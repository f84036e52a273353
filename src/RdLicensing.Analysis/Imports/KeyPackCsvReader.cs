using System.Globalization;
using RdLicensing.Analysis.Csv;
using RdLicensing.Domain;

namespace RdLicensing.Analysis.Imports;

/// <summary>
/// Reads <c>Get-WmiObject Win32_TSLicenseKeyPack | Export-Csv</c> (and the Get-CimInstance variant). Key packs are few;
/// the whole export is returned, or an error with its line.
/// </summary>
public static class KeyPackCsvReader
{
    /// <summary>The WMI class an export must be of.</summary>
    public const string ClassName = "Win32_TSLicenseKeyPack";

    /// <summary>The class's properties, in the order the class declares them.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "KeyPackId", "Description", "KeyPackType", "ProductType", "ProductVersion", "ProductVersionID", "TotalLicenses",
        "IssuedLicenses", "AvailableLicenses", "ExpirationDate", "AccessRights", "TypeAndModel",
        "OverAllocatedLicenses", // not a WMI property: RdLicensing's key pack report adds it
    ];

    /// <summary>The columns an export must have (Description, ExpirationDate and AccessRights may be missing).</summary>
    public static readonly IReadOnlyList<string> RequiredColumns =
    [
        "KeyPackId", "KeyPackType", "ProductType", "ProductVersion", "ProductVersionID", "TotalLicenses", "IssuedLicenses",
        "AvailableLicenses", "TypeAndModel",
    ];

    /// <summary>At most this many key packs are read (a license server holds tens).</summary>
    public const int MaxKeyPacks = 100_000;

    private const int Id = 0, Description = 1, KeyPackType = 2, ProductType = 3, ProductVersion = 4, ProductVersionId = 5,
        Total = 6, Issued = 7, Available = 8, Expiration = 9, TypeAndModel = 11;

    /// <summary>Reads every key pack of <paramref name="text"/> (the caller opened it and disposes it).</summary>
    /// <exception cref="CsvImportException">Malformed CSV, unknown or missing columns, bad values; with the line.</exception>
    public static IReadOnlyList<KeyPackRecord> Read(TextReader text, WmiImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= WmiImportOptions.Default;
        WmiCsvTable table = WmiCsvTable.Open(text, ClassName, Columns, RequiredColumns);
        var packs = new List<KeyPackRecord>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (table.Read())
        {
            if (packs.Count >= MaxKeyPacks)
            {
                throw new CsvImportException(table.Line, null, $"more than {MaxKeyPacks} key packs: not a license server's export");
            }

            string id = table.Identifier(Id);
            if (!ids.Add(id))
            {
                throw table.Error(Id, $"key pack {id} appears twice");
            }

            int versionId = (int)Math.Min(table.UInt32(ProductVersionId), int.MaxValue);
            string versionText = table.Raw(ProductVersion)!.Trim();
            ProductVersion? version = ProductVersions.FromWmiId(versionId)
                ?? (ProductVersions.TryParse(versionText, out ProductVersion parsed) ? parsed : null);
            DateTimeOffset? expires = string.IsNullOrWhiteSpace(table.Raw(Expiration)) ? null : table.Date(Expiration, options);
            packs.Add(new KeyPackRecord(
                KeyPackId: id,
                Description: table.Raw(Description)?.Trim() ?? "",
                KeyPackType: (int)Math.Min(table.UInt32(KeyPackType), 255),
                ProductType: (int)Math.Min(table.UInt32(ProductType), 255),
                ProductVersionText: versionText,
                ProductVersionId: versionId,
                TypeAndModel: table.Raw(TypeAndModel)!.Trim(),
                TotalLicenses: table.UInt32(Total),
                IssuedLicenses: table.UInt32(Issued),
                AvailableLicenses: table.UInt32(Available),
                ExpirationDate: expires,
                Version: version,
                Line: table.Line));
        }

        return packs;
    }
}
