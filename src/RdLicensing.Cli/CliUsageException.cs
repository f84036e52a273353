namespace RdLicensing.Cli;

/// <summary>A user mistake found while running a verb (after parsing): exits with <see cref="ExitCodes.Usage"/> and the message.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
