using System.Diagnostics;
using System.Text;

namespace RdLicensing.Interop.Tests;

/// <summary>Runs an unmodified RDP client to its exit (bounded), killing it and its children in every case.</summary>
internal static class ClientProcess
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(
        string tool,
        IEnumerable<string> arguments,
        string home,
        XvfbDisplay display,
        string? standardInput,
        TimeSpan limit,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExternalTools.Require(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = home;
        start.Environment["DISPLAY"] = display.Display;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        start.Environment["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share");
        var output = new StringBuilder();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput);
                await process.StandardInput.FlushAsync(cancellationToken);
            }

            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                output.AppendLine($"[{tool} killed after {limit}]");
            }

            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            output.Append(await stdout).Append(await stderr);
            return new Result(process.ExitCode, output.ToString());
        }
        finally
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in between.
        }
    }
}
