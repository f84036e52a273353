using System.Diagnostics;

namespace RdLicensing.Interop.Tests;

/// <summary>An Xvfb server on a display number it picks itself (-displayfd), killed on dispose.</summary>
internal sealed class XvfbDisplay : IAsyncDisposable
{
    private readonly Process _process;

    private XvfbDisplay(Process process, int number)
    {
        _process = process;
        Number = number;
    }

    public int Number { get; }

    public string Display => $":{Number}";

    public static async Task<XvfbDisplay> StartAsync(CancellationToken cancellationToken)
    {
        string xvfb = ExternalTools.Require("Xvfb");
        var start = new ProcessStartInfo(xvfb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1024x768x24"])
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("xvfb did not start");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (!int.TryParse(line, out int number))
            {
                throw new InvalidOperationException($"xvfb did not report a display number (got \"{line}\")");
            }

            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            return new XvfbDisplay(process, number);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed already; nothing more to do.
        }

        _process.Dispose();
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
            // The process has exited in between.
        }
    }
}
