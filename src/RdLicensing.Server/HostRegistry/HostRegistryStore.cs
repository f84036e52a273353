using System.Globalization;
using System.Text;
using RdLicensing.Registry;
using RdLicensing.Registry.Host;

namespace RdLicensing.Server.HostRegistry;

/// <summary>
/// The session host's registry, kept where Windows would keep it in the real registry: a .reg file in the host's data
/// directory (<c>&lt;data&gt;/host-registry.reg</c>, version 5.00, written atomically through a temporary file and a
/// rename). Every change first writes a .reg backup of the key it changes to
/// <c>&lt;data&gt;/backups/&lt;timestamp&gt;-&lt;key&gt;.reg</c>: the key's deletion, then its export, so importing the
/// backup restores the key exactly as it was (a key that did not exist is deleted again). Not safe for two writers at once.
/// </summary>
public sealed class HostRegistryStore
{
    /// <summary>The registry file's name in the data directory.</summary>
    public const string FileName = "host-registry.reg";

    /// <summary>The backup folder's name in the data directory.</summary>
    public const string BackupDirectoryName = "backups";

    private readonly TimeProvider _time;

    /// <summary>A store in <paramref name="dataDirectory"/> (created on the first write).</summary>
    public HostRegistryStore(string dataDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        DataDirectory = Path.GetFullPath(dataDirectory);
        _time = time;
    }

    /// <summary>The data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The registry file.</summary>
    public string FilePath => Path.Combine(DataDirectory, FileName);

    /// <summary>The backup folder.</summary>
    public string BackupDirectory => Path.Combine(DataDirectory, BackupDirectoryName);

    /// <summary>
    /// The registry as stored; empty when the file does not exist yet. A damaged file throws
    /// <see cref="RegFileFormatException"/> (line and column) rather than being treated as empty.
    /// </summary>
    public RegistryModel Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new RegistryModel();
        }

        return RegistryModel.FromRegFile(RegFile.Parse(bytes));
    }

    /// <summary>The host's licensing configuration.</summary>
    public HostConfiguration ReadConfiguration() => HostConfiguration.Read(Load());

    /// <summary>Backs up the key the change writes, applies the change and saves. Returns the backup's path.</summary>
    public string Apply(HostChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        RegistryModel registry = Load();
        string backup = WriteBackup(registry, [change.KeyPath], LastName(change.KeyPath));
        change.ApplyTo(registry);
        Save(registry);
        return backup;
    }

    /// <summary>
    /// Imports a .reg file (already parsed, so a malformed file never gets here): backs up every key it touches into one
    /// backup file, applies it to a copy, then saves. Returns the backup's path.
    /// </summary>
    public string Import(RegFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        RegistryModel registry = Load();
        RegistryModel changed = registry.Clone();
        changed.Import(file);
        string backup = WriteBackup(registry, file.Sections.Select(s => s.KeyPath), "import");
        Save(changed);
        return backup;
    }

    /// <summary>The whole registry, or one key with everything under it (null when that key does not exist).</summary>
    public RegFile? Export(string? keyPath = null) => Load().Export(keyPath);

    private string WriteBackup(RegistryModel registry, IEnumerable<string> keyPaths, string label)
    {
        // Only the outermost keys: a key under another one is inside that one's export.
        var keys = new List<string>();
        foreach (string path in keyPaths.Select(Canonical).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(p => p.Length))
        {
            if (!keys.Any(k => path.StartsWith(k + "\\", StringComparison.OrdinalIgnoreCase)))
            {
                keys.Add(path);
            }
        }

        var sections = new List<RegFileSection>();
        foreach (string key in keys)
        {
            sections.Add(new RegFileSection(key, IsDeletion: true, []));
            if (registry.Export(key) is { } export)
            {
                sections.AddRange(export.Sections);
            }
        }

        Directory.CreateDirectory(BackupDirectory);
        string stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", CultureInfo.InvariantCulture);
        string baseName = $"{stamp}-{Sanitize(label)}";
        byte[] bytes = new RegFile(RegFileFormat.Version5, sections).ToBytes();
        for (int attempt = 1; attempt <= 1000; attempt++)
        {
            string path = Path.Combine(BackupDirectory, attempt == 1 ? baseName + ".reg" : $"{baseName}-{attempt}.reg");
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Same millisecond as an earlier backup: take the next number.
            }
        }

        throw new IOException($"could not create a backup file in {BackupDirectory}: 1000 files named {baseName}*.reg exist");
    }

    private void Save(RegistryModel registry)
    {
        Directory.CreateDirectory(DataDirectory);
        RegFile file = registry.Export() ?? new RegFile(RegFileFormat.Version5, []);
        string temp = FilePath + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(file.ToBytes());
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static string Canonical(string keyPath)
    {
        (RegistryHive hive, string[] names) = RegistryPath.Parse(keyPath);
        return RegistryPath.Combine(hive, names);
    }

    private static string LastName(string keyPath) => keyPath[(keyPath.LastIndexOf('\\') + 1)..];

    private static string Sanitize(string name)
    {
        var text = new StringBuilder();
        foreach (char c in name.ToLowerInvariant())
        {
            text.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        string result = text.ToString().Trim('-');
        return result.Length == 0 ? "key" : result[..Math.Min(result.Length, 60)];
    }
}
