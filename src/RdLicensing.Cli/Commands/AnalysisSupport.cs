using System.Globalization;
using System.Runtime.CompilerServices;
using RdLicensing.Analysis;
using RdLicensing.Analysis.Csv;
using RdLicensing.Client;
using RdLicensing.Contracts;
using RdLicensing.Domain;

namespace RdLicensing.Cli.Commands;

/// <summary>
/// What the report and analyze verbs share: our store's licenses and key packs in the Win32_TSIssuedLicense /
/// Win32_TSLicenseKeyPack shapes the Analysis library works on, page by page, and progress on a terminal.
/// </summary>
internal static class AnalysisSupport
{
    /// <summary>Every license of one CAL type, page by page (never all in memory); fails if the store changed meanwhile.</summary>
    public static async IAsyncEnumerable<LicenseDto> LicensesAsync(
        LicensingClient client, string type, IProgress<long>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new LicenseQuery(Type: type);
        int read = 0;
        int? total = null;
        while (true)
        {
            LicensePageDto page = await client.ListLicensesAsync(query, read, LicensingClient.LicensePageSize, cancellationToken).ConfigureAwait(false);
            total ??= page.Total;
            foreach (LicenseDto license in page.Items)
            {
                yield return license;
            }

            read += page.Items.Count;
            progress?.Report(read);
            if (page.Items.Count == 0 || read >= page.Total)
            {
                if (read != total || page.Total != total)
                {
                    throw new CliUsageException(
                        $"the store changed while it was read ({total} {type} licenses at the start, {page.Total} at the end, {read} read): run the command again");
                }

                yield break;
            }
        }
    }

    /// <summary>A license of our store as a Win32_TSIssuedLicense row (expired CALs keep status active with their past expiry).</summary>
    public static IssuedLicenseRecord ToRecord(LicenseDto license) => new(
        license.KeyPackId,
        license.LicenseId,
        license.Machine ?? "",
        license.User ?? "",
        license.Hwid ?? "",
        license.IssuedOn,
        license.ExpiresOn,
        license.Status switch
        {
            "temporary" => WmiLicenseStatus.Temporary,
            "permanent" or "expired" => WmiLicenseStatus.Active,
            "revoked" => WmiLicenseStatus.Revoked,
            _ => WmiLicenseStatus.Unknown,
        },
        ProductVersions.TryParse(license.Version, out ProductVersion version) ? version : null);

    /// <summary>A key pack of our store as a Win32_TSLicenseKeyPack row.</summary>
    public static KeyPackRecord ToRecord(KeyPackDto pack)
    {
        ProductVersion? version = ProductVersions.TryParse(pack.Version, out ProductVersion parsed) ? parsed : null;
        int keyPackType = pack.Program switch
        {
            "retail" => 1,
            "open" => 5,
            "temporary" => KeyPackRecord.TemporaryKeyPackType,
            _ => 2, // the agreement programs are volume licenses
        };
        return new KeyPackRecord(
            pack.KeyPackId, "", keyPackType,
            pack.Type == "per-user" ? KeyPackRecord.PerUserProductType : KeyPackRecord.PerDeviceProductType,
            version?.Name ?? pack.Version, version?.WmiProductVersionId ?? 0, pack.TypeAndModel,
            pack.Total, pack.Issued, pack.Available, pack.ExpiresOn, version);
    }

    /// <summary>Opens a file the user named, or fails with a usage error that names it.</summary>
    public static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"{path}: {ex.Message.ToLowerInvariant().TrimEnd('.')}");
        }
    }

    /// <summary>Creates a file the user named for writing, or fails with a usage error that names it.</summary>
    public static StreamWriter CreateText(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"{path}: {ex.Message.ToLowerInvariant().TrimEnd('.')}");
        }
    }

    /// <summary>A CSV import error as the user reads it: the file, the line, the column.</summary>
    public static CliUsageException Describe(string path, CsvImportException error) => new($"{path}: {error.Message} (nothing was analysed)");

    /// <summary>Progress on stderr, only when stderr is this process's terminal.</summary>
    public static TerminalProgress Progress(CliContext cli, string what) =>
        new(ReferenceEquals(cli.Console.Error, Console.Error) && !Console.IsErrorRedirected ? cli.Console.Error : null, what);
}

/// <summary>"reading: 120,000 rows" on one terminal line, rewritten at most every 10,000 rows; cleared at the end.</summary>
internal sealed class TerminalProgress(TextWriter? terminal, string what) : IProgress<long>
{
    private long _shown = -1;

    public void Report(long value)
    {
        if (terminal is null || (value - _shown < 10_000 && _shown >= 0))
        {
            return;
        }

        _shown = value;
        terminal.Write(string.Create(CultureInfo.InvariantCulture, $"\r{what}: {value:N0} rows"));
        terminal.Flush();
    }

    public void Done()
    {
        if (terminal is not null && _shown >= 0)
        {
            terminal.Write("\r\u001b[2K");
            terminal.Flush();
        }
    }
}

/// <summary>A write-only stream that decodes UTF-8 onto a <see cref="TextWriter"/> (the JSON writers write bytes; the console is text).</summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly System.Text.Decoder _decoder = new System.Text.UTF8Encoding(false).GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        int needed = _decoder.GetCharCount(buffer, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        int written = _decoder.GetChars(buffer, _chars, flush: false);
        writer.Write(_chars, 0, written);
    }

    public override void Flush() => writer.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
