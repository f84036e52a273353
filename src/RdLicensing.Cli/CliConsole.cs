using Spectre.Console;

namespace RdLicensing.Cli;

/// <summary>Where <c>rdlic</c> writes: results to <see cref="Out"/> (stdout), diagnostics to <see cref="Error"/> (stderr).</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool outputIsTerminal)
    {
        Out = output;
        Error = error;
        Tables = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = outputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = outputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!outputIsTerminal)
        {
            // Redirected output has no width: render tables at their natural width instead of wrapping at 80 columns.
            Tables.Profile.Width = 240;
        }
    }

    /// <summary>The process's own stdout and stderr.</summary>
    public static CliConsole System() => new(global::System.Console.Out, global::System.Console.Error, !global::System.Console.IsOutputRedirected);

    /// <summary>Results (tables, JSON, created keys).</summary>
    public TextWriter Out { get; }

    /// <summary>Diagnostics (errors, warnings, hints).</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables.</summary>
    public IAnsiConsole Tables { get; }
}
