using System.CommandLine;
using RdLicensing.Registry;
using RdLicensing.Server.HostRegistry;

namespace RdLicensing.Cli.Commands;

/// <summary><c>rdlic registry export|import FILE</c>: the session host's registry as .reg files, as regedit reads and writes them.</summary>
internal sealed class RegistryCommands : ICommandGroup
{
    /// <summary>The largest .reg file read (a host's licensing keys are a few kilobytes).</summary>
    internal const long MaxRegFileBytes = 64L * 1024 * 1024;

    public Command Build(CliContext cli)
    {
        var registry = new Command("registry", "The session host's registry (--data): export and import .reg files");
        registry.Subcommands.Add(Export(cli));
        registry.Subcommands.Add(Import(cli));
        return registry;
    }

    /// <summary>Reads and parses a .reg file; every failure is a usage error naming the file (and line and column).</summary>
    internal static RegFile ReadRegFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CliUsageException($"{path}: no such file");
            }

            if (info.Length > MaxRegFileBytes)
            {
                throw new CliUsageException($"{path}: {info.Length} bytes is more than the {MaxRegFileBytes / (1024 * 1024)} MiB a .reg file may have here");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: cannot read: {ex.Message}");
        }

        try
        {
            return RegFile.Parse(bytes);
        }
        catch (RegFileFormatException ex)
        {
            throw new CliUsageException($"{path}: {ex.Message}");
        }
    }

    private static Command Export(CliContext cli)
    {
        Argument<string> file = CliOptions.Name("FILE", "The .reg file to write (replaced if it exists)");
        Option<string> key = CliOptions.Text("--key", "Export only this key and its subkeys (e.g. HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM)", required: false);
        Option<bool> regedit4 = new("--regedit4") { Description = "Write the older ANSI REGEDIT4 format instead of version 5.00 (UTF-16LE)" };
        var command = new Command("export", "Export the host's registry (or one key) as regedit does") { file, key, regedit4 };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            HostRegistryStore store = HostConfigCommands.Store(cli, parseResult);
            RegistryModel registry = HostConfigCommands.Load(store);
            string? keyPath = parseResult.GetValue(key)?.Trim();
            if (keyPath is not null && !RegistryPath.TryParse(keyPath, allowShortRoots: true, out _, out _, out string error, out _))
            {
                throw new CliUsageException($"--key: {error}");
            }

            RegFileFormat format = parseResult.GetValue(regedit4) ? RegFileFormat.Regedit4 : RegFileFormat.Version5;
            RegFile exported = registry.Export(keyPath, format) ?? throw new CliUsageException($"--key: the key {keyPath} does not exist");
            string path = Path.GetFullPath(parseResult.GetValue(file)!);
            try
            {
                await File.WriteAllBytesAsync(path, exported.ToBytes(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"{path}: cannot write: {ex.Message}");
            }

            await cli.Console.Error.WriteLineAsync($"exported {exported.Sections.Count} keys to {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Import(CliContext cli)
    {
        Argument<string> file = CliOptions.Name("FILE", "The .reg file to import (version 5.00 or REGEDIT4)");
        var command = new Command("import", "Import a .reg file into the host's registry; nothing changes if the file is malformed, and the keys it touches are backed up first") { file };
        command.SetAction((parseResult, cancellationToken) => cli.RunOfflineAsync(parseResult, cancellationToken, async () =>
        {
            RegFile regFile = ReadRegFile(parseResult.GetValue(file)!);
            HostRegistryStore store = HostConfigCommands.Store(cli, parseResult);
            HostConfigCommands.Load(store);
            string backup = store.Import(regFile);
            await cli.Console.Error.WriteLineAsync($"imported {regFile.Sections.Count} keys into {store.FilePath}; the previous keys are in {backup}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
